"""Two and three data folders syncing through one shared folder: real stores, real files, real
encryption."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_desktop.core.assistants import Assistant, AssistantLibrary
from qwen_desktop.core.config import AppConfig, load_config, save_config
from qwen_desktop.core.paths import config_path
from qwen_desktop.core.prompts import Prompt, PromptLibrary
from qwen_desktop.core.sync.engine import Syncer
from qwen_desktop.core.sync.folder import FolderLocation
from qwen_desktop.core.types import MessageStatus, Role, ThinkingMode
from tests.core.sync_devices import Clock, Device, converge, location_bytes, quick_location, same_exports


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def place(tmp_path: Path) -> Path:
    return quick_location(tmp_path / "shared")


@pytest.fixture
def make(tmp_path: Path, place: Path, clock: Clock) -> Iterator[object]:
    made: list[Device] = []

    def build(name: str, **options: object) -> Device:
        device = Device(tmp_path, name, place, clock, **options)
        made.append(device)
        return device

    yield build
    for device in made:
        device.close()


def test_two_devices_exchange_conversations_and_export_the_same(make, place: Path, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("Lunch in Hangzhou", "Where to eat West Lake fish?", "Lou Wai Lou, since 1848.")
    b.new("Packing list", "What to bring to Harbin in January?")
    converge([a, b])
    document = same_exports([a, b], tmp_path)
    assert sorted(c["title"] for c in document["conversations"]) == ["Lunch in Hangzhou", "Packing list"]
    assert len(a.store.messages(a.cid("Lunch in Hangzhou"))) == 2
    assert b.store.messages(b.cid("Lunch in Hangzhou"))[1].content == "Lou Wai Lou, since 1848."
    everything = location_bytes(place)
    for secret in (b"West Lake", b"Lou Wai Lou", b"Hangzhou", b"Harbin", b"Packing"):
        assert secret not in everything
    assert a.syncer.pending() == 0 and b.syncer.pending() == 0


def test_concurrent_messages_and_edits_on_both_sides_all_survive(make, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("Trip", "Plan a trip to Xi'an.", "Day one: the Terracotta Army.")
    converge([a, b])
    a.store.add_message(a.cid("Trip"), Role.USER, "Add a day in Luoyang.").result()
    b.store.add_message(b.cid("Trip"), Role.USER, "Make it vegetarian.").result()
    a.store.set_pinned(a.cid("Trip"), True).result()
    b.store.rename(b.cid("Trip"), "Xi'an trip").result()
    converge([a, b])
    document = same_exports([a, b], tmp_path)
    (trip,) = document["conversations"]
    assert trip["title"] == "Xi'an trip" and trip["pinned"]
    texts = {m["content"] for m in trip["messages"]}
    assert {"Add a day in Luoyang.", "Make it vegetarian."} <= texts
    # Both questions follow the same reply, so they are versions of each other; both devices
    # show the same one.
    assert [m.content for m in a.store.messages(a.cid("Xi'an trip"))] == [
        m.content for m in b.store.messages(b.cid("Xi'an trip"))]


def test_settings_changed_on_two_computers_both_stay(make, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("Settings", "hello")
    converge([a, b])
    cid_a, cid_b = a.cid("Settings"), b.cid("Settings")
    a.store.update_settings(cid_a, a.store.conversation(cid_a).settings.with_(assistant_id="helper")).result()
    converge([a, b])
    assert b.store.conversation(cid_b).settings.assistant_id == "helper"
    a.store.update_settings(cid_a, a.store.conversation(cid_a).settings.with_(model="qwen-max",
                                                                            assistant_id=None)).result()
    b.store.update_settings(cid_b, b.store.conversation(cid_b).settings.with_(thinking=ThinkingMode.ON)).result()
    converge([a, b])
    for device, cid in ((a, cid_a), (b, cid_b)):
        settings = device.store.conversation(cid).settings
        assert (settings.model, settings.thinking, settings.assistant_id) == ("qwen-max", ThinkingMode.ON, None)
    same_exports([a, b], tmp_path)


def test_rename_against_delete_keeps_both_and_the_conversation_in_the_trash(make, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("Old name", "hello")
    converge([a, b])
    a.store.rename(a.cid("Old name"), "New name").result()
    b.store.delete_conversation(b.cid("Old name")).result()
    converge([a, b])
    for device in (a, b):
        (conversation,) = device.every_conversation()
        assert conversation.title == "New name" and conversation.deleted_at is not None
    a.store.restore_conversation(a.cid("New name")).result()
    converge([a, b])
    assert b.store.conversation(b.cid("New name")).deleted_at is None
    same_exports([a, b], tmp_path)


def test_a_title_the_user_gave_beats_a_later_automatic_one_made_elsewhere(make, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("", "How do I brew pu-erh?")
    converge([a, b])
    (cid_b,) = b.store.conversation_ids()
    b.store.rename(cid_b, "Tea notes").result()
    (cid_a,) = a.store.conversation_ids()
    a.store.rename(cid_a, "Brewing pu-erh", locked=False).result()  # made later, automatically
    converge([a, b])
    for device in (a, b):
        (conversation,) = device.every_conversation()
        assert (conversation.title, conversation.title_locked) == ("Tea notes", True)


def test_delete_forever_wins_over_a_later_rename(make, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("Doomed", "bye")
    converge([a, b])
    b.store.delete_conversation(b.cid("Doomed")).result()
    b.store.purge_conversation(b.cid("Doomed")).result()
    a.store.rename(a.cid("Doomed"), "Saved?").result()
    converge([a, b])
    assert a.every_conversation() == [] and b.every_conversation() == []
    for device in (a, b):  # nothing of it is kept for sync either
        kept = device.store.run_read(lambda conn: conn.execute("SELECT group_concat(state) FROM sync_entities")
                                     .fetchone()[0])
        assert "bye" not in kept and "Doomed" not in kept and "Saved?" not in kept


def test_three_devices_converge_whatever_order_they_sync_in(make, tmp_path: Path) -> None:
    a, b, c = make("aaaa"), make("bbbb"), make("cccc")
    a.new("From A", "a1", "a2")
    b.new("From B", "b1")
    c.new("From C", "c1", "c2", "c3")
    c.sync()
    a.sync()
    b.sync()
    c.sync()
    c.store.add_message(c.cid("From A"), Role.USER, "c adds to A").result()
    a.store.add_message(a.cid("From C"), Role.USER, "a adds to C").result()
    b.store.rename(b.cid("From C"), "Renamed by B").result()
    converge([b, c, a], rounds=2)
    document = same_exports([a, b, c], tmp_path)
    assert sorted(c["title"] for c in document["conversations"]) == ["From A", "From B", "Renamed by B"]
    assert [len(d.store.messages(d.cid("From A"))) for d in (a, b, c)] == [3, 3, 3]
    assert [d.store.messages(d.cid("Renamed by B"))[-1].content for d in (a, b, c)] == ["a adds to C"] * 3


def test_wrong_passphrase_is_one_sentence_and_touches_nothing(make, place: Path, tmp_path: Path) -> None:
    a = make("aaaa")
    a.new("Mine", "kept")
    a.sync()
    b = make("bbbb")
    b.new("Local only", "still here")
    wrong = Syncer(b.data_dir, FolderLocation(place), "not the passphrase", "bbbb", store=b.store)
    report = wrong.sync_once()
    assert report.error == "The sync passphrase is not the one this sync location was set up with."
    assert (report.pulled, report.pushed) == (0, 0)
    assert [c.title for c in b.every_conversation()] == ["Local only"]
    assert b.syncer.pending() > 0


def test_truncated_and_corrupted_files_are_skipped_with_a_sentence_and_retried(make, place: Path,
                                                                              tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("First", "one")
    a.sync()
    a.new("Second", "two")
    a.sync()
    first, second = sorted((place / "changes").iterdir())
    good_first, good_second = first.read_bytes(), second.read_bytes()
    first.write_bytes(good_first[: len(good_first) // 2])
    second.write_bytes(good_second[:-1] + bytes([good_second[-1] ^ 1]))
    (place / "changes" / "eeee-00000001.qsc").write_bytes(b"not ours at all")
    b.new("B's own", "safe")
    report = b.syncer.sync_once()
    assert report.error is None and len(report.problems) == 3
    assert all("tried again" in problem for problem in report.problems)
    assert [c.title for c in b.every_conversation()] == ["B's own"]
    first.write_bytes(good_first)
    second.write_bytes(good_second)
    report = b.syncer.sync_once()
    assert len(report.problems) == 1
    assert sorted(c.title for c in b.every_conversation()) == ["B's own", "First", "Second"]


def test_assistants_prompts_and_roaming_settings_follow_the_user(make, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    save_config(config_path(a.data_dir), AppConfig(default_model="qwen-max", theme="dark", trash_days=7))
    save_config(config_path(b.data_dir), AppConfig(theme="light"))
    AssistantLibrary(a.store).create(Assistant("Reviewer", {"system_prompt": "Review strictly."})).result()
    PromptLibrary(a.store).create(Prompt("Summarise", "Summarise {{text}} in one line.")).result()
    AssistantLibrary(a.store).create(Assistant("Coder")).result()
    AssistantLibrary(b.store).create(Assistant("Coder", {"model": "qwen3-coder-plus"})).result()
    a.sync()
    report = b.sync()
    assert report.settings_changed
    converge([a, b])
    settings = load_config(config_path(b.data_dir))
    assert (settings.default_model, settings.trash_days, settings.theme) == ("qwen-max", 7, "light")
    assert load_config(config_path(a.data_dir)).default_model == "qwen-max"  # B's defaults were no news
    for device in (a, b):
        assistants = {x.name: x for x in AssistantLibrary(device.store).all()}
        assert set(assistants) == {"Reviewer", "Coder", "Coder (2)"}
        assert assistants["Reviewer"].system_prompt == "Review strictly."
        assert [p.name for p in PromptLibrary(device.store).all()] == ["Summarise"]
    assert {x.id for x in AssistantLibrary(a.store).all()} == {x.id for x in AssistantLibrary(b.store).all()}
    assert ({(x.name, x.settings.get("model")) for x in AssistantLibrary(a.store).all()}
            == {(x.name, x.settings.get("model")) for x in AssistantLibrary(b.store).all()})


def test_sync_set_up_again_with_another_place_publishes_everything_there(make, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("Written on A", "from a")
    b.new("Written on B", "from b")
    converge([a, b])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    a.syncer.close()
    a.syncer = Syncer(a.data_dir, FolderLocation(elsewhere), "a new passphrase", "aaaa", store=a.store)
    assert a.sync().pushed > 0
    c = make("cccc")
    c.syncer = Syncer(c.data_dir, FolderLocation(elsewhere), "a new passphrase", "cccc", store=c.store)
    c.sync()
    same_exports([a, b, c], tmp_path)


def test_an_unexpected_failure_in_a_round_is_a_sentence_not_an_exception(make, place: Path) -> None:
    class Broken(FolderLocation):
        def list(self, folder: str) -> list:
            raise RuntimeError("a bug in a location")

    a = make("aaaa")
    a.new("Still here", "yes")
    a.syncer = Syncer(a.data_dir, Broken(place), "correct horse battery staple", "aaaa", store=a.store)
    report = a.syncer.sync_once()
    assert report.error is not None and "unexpected problem" in report.error
    assert a.syncer.status().last_error == report.error and a.syncer.pending() > 0
    assert [c.title for c in a.every_conversation()] == ["Still here"]


def location_text(device: Device) -> str:
    """Everything the other devices published, decrypted."""
    keys = device.syncer._open_keys()
    place = device.syncer.location
    return "".join(str(keys.open_json(f.path, place.read(f.path))) for f in place.list("changes"))


def test_a_reply_streaming_while_a_round_merges_is_kept_whole_and_synced_when_done(make, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("Live", "Tell me about Suzhou gardens.")
    converge([a, b])
    cid_b = b.cid("Live")
    reply = b.store.add_message(cid_b, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()
    b.store.append_stream(reply, content="The Humble Administrator's Garden ")
    cid_a = a.cid("Live")
    a.store.rename(cid_a, "Suzhou").result()
    a.store.add_message(cid_a, Role.USER, "And Hangzhou?").result()
    a.sync()
    b.sync()  # merges A's changes while the reply is still being written
    assert "Humble" not in location_text(a)  # the reply is not sent half done
    b.store.append_stream(reply, content="is the largest.")
    b.store.update_message(reply, status=MessageStatus.COMPLETE).result()
    b.store.flush().result()
    assert b.store.message(reply).content == "The Humble Administrator's Garden is the largest."
    converge([a, b])
    document = same_exports([a, b], tmp_path)
    (live,) = document["conversations"]
    assert live["title"] == "Suzhou"
    assert {m["content"] for m in live["messages"]} == {
        "Tell me about Suzhou gardens.", "And Hangzhou?", "The Humble Administrator's Garden is the largest."}


def test_a_syncer_with_its_own_store_can_be_closed_and_used_again(make, place: Path) -> None:
    a = make("aaaa")
    a.new("First", "one")
    a.sync()
    own = Syncer(a.data_dir.parent / "own", FolderLocation(place), "correct horse battery staple", "ownn")
    try:
        assert own.sync_once().error is None
        own.close()
        report = own.sync_once()
        assert report.error is None and own.store.count_conversations() == 1
    finally:
        own.close()


def test_many_edits_while_offline_go_out_as_one_update_per_record(make, place: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    cid = a.new("Draft 0", "text")
    a.sync()
    for number in range(1, 30):
        a.store.rename(cid, f"Draft {number} {secrets.token_hex(24)}").result()  # nothing to compress
        a.syncer._capture()  # as rounds that could not reach the location would have
    assert a.syncer.pending() >= 29
    report = a.sync()
    assert report.pushed >= 29
    newest = sorted((place / "changes").iterdir())[-1]
    assert newest.stat().st_size < 400  # one title, not twenty-nine
    b.sync()
    assert [c.title for c in b.every_conversation()] == [a.store.conversation(cid).title]


def test_the_passphrase_never_reaches_the_log_or_an_error(make, place: Path, tmp_path: Path, caplog) -> None:
    from qwen_desktop.core.errors import ConfigError
    from qwen_desktop.core.redact import redact

    a = make("aaaa")
    assert redact("echoed: correct horse battery staple") == "echoed: sk-***"
    assert "battery" not in str(ConfigError("The server said correct horse battery staple"))
    a.new("Mine", "text")
    a.sync()
    assert "correct horse" not in caplog.text
