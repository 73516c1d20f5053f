"""The CLI facing hostile addresses, files and archives: a sentence each, nothing kept that should not be."""

from __future__ import annotations

import json

from tests.simulator import Simulator
from tests.test_cli import cli, sim  # noqa: F401 - shared fixtures

SECRET = "hunter2pw"


def test_regions_add_refuses_user_info_and_keeps_nothing(cli, sim: Simulator) -> None:  # noqa: F811
    done = cli("regions", "add", "gw", f"http://me:{SECRET}@127.0.0.1:9")
    assert done.returncode == 2
    assert "user name or password" in done.stderr
    assert SECRET not in done.stdout + done.stderr
    config = cli.data / "config.json"
    assert not config.exists() or SECRET not in config.read_text()
    listing = cli("regions")
    assert "gw" not in listing.stdout and SECRET not in listing.stdout


def test_a_hand_edited_config_with_user_info_is_cleaned(cli, sim: Simulator) -> None:  # noqa: F811
    cli.data.mkdir(parents=True, exist_ok=True)
    (cli.data / "config.json").write_text(json.dumps({"custom_regions": [
        {"id": "gw", "name": "G", "base_url": f"http://me:{SECRET}@127.0.0.1:9"}]}))
    added = cli("regions", "add", "other", "https://other.example.test")
    assert added.returncode == 0, added.stderr
    assert SECRET not in added.stdout + added.stderr
    assert SECRET not in (cli.data / "config.json").read_text()
    assert SECRET not in "".join(p.read_text() for p in (cli.data / "logs").glob("*.log*"))


def test_import_twice_adds_nothing_and_a_hostile_file_is_one_sentence(cli, sim: Simulator, tmp_path) -> None:  # noqa: F811
    from qwen_desktop.core.paths import database_path
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.types import ConversationSettings, Role

    source = tmp_path / "source"
    with Store(database_path(source)) as store:
        cid = store.create_conversation(ConversationSettings(), "kept").result()
        store.add_message(cid, Role.USER, "hello").result()
    assert cli("--data-dir", str(source), "export", str(tmp_path / "out.json")).returncode == 0
    first = cli("import", str(tmp_path / "out.json"))
    assert first.returncode == 0 and "Imported 1 conversation" in first.stdout, first.stderr
    again = cli("import", str(tmp_path / "out.json"))
    assert again.returncode == 0 and "Imported 0 conversation(s) (1 already imported" in again.stdout
    document = json.loads((tmp_path / "out.json").read_text())
    document["conversations"][0]["messages"][0]["content"] = {"nested": ["x"]}
    (tmp_path / "bad.json").write_text(json.dumps(document))
    bad = cli("import", str(tmp_path / "bad.json"))
    assert bad.returncode == 2
    assert "conversation 1, message 1, 'content'" in bad.stderr and "Traceback" not in bad.stderr


def test_backup_then_restore_through_the_cli(cli, sim: Simulator, tmp_path) -> None:  # noqa: F811
    import zipfile

    from qwen_desktop.core.paths import database_path
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.types import ConversationSettings

    with Store(database_path(cli.data)) as store:
        store.create_conversation(ConversationSettings(), "saved").result()
    made = cli("backup", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    archive = next((tmp_path / "backups").glob("*.zip"))
    with Store(database_path(cli.data)) as store:
        store.create_conversation(ConversationSettings(), "added later").result()
    done = cli("restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "Restored 1 conversation(s)" in done.stdout and "before-restore" in done.stdout
    with Store(database_path(cli.data)) as store:
        assert [store.conversation(c).title for c in store.conversation_ids()] == ["saved"]

    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("conversations.sqlite3", archive.read_bytes()[:0])
        z.writestr("../../outside.txt", "x")
    refused = cli("restore", str(evil))
    assert refused.returncode == 2 and "not a Qwen Desktop backup" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "outside.txt").exists()
