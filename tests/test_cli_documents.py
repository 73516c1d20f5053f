"""``qwen-desktop ask --file``, run as a real subprocess against the simulator."""

from __future__ import annotations

import os
from pathlib import Path

from tests import documents_files as files
from tests.simulator import Reply, Simulator
from tests.test_cli import cli, sim  # noqa: F401  (fixtures)


def test_ask_with_documents(cli, sim: Simulator, tmp_path: Path) -> None:  # noqa: F811
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    pdf = files.write(tmp_path, "terms.pdf", files.text_pdf([["Refunds within 14 days."]]))
    sheet = files.write(tmp_path, "prices.xlsx", files.xlsx({"Prices": [["Plan", "Price"], ["Pro", 20]]}))
    sim.enqueue(Reply(content="Fourteen days; Pro costs 20."))
    done = cli("ask", "Refund window and Pro price?", "--file", str(pdf), "--file", str(sheet))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Fourteen days; Pro costs 20."
    sent = sim.requests[-1].body["messages"][-1]["content"]
    text = sent if isinstance(sent, str) else "".join(p.get("text", "") for p in sent)
    assert "Refunds within 14 days." in text and "Pro\t20" in text
    assert text.endswith("Refund window and Pro price?")
    stored = sorted(p.suffix for p in (cli.data / "attachments").rglob("*.*"))
    assert stored == [".pdf", ".xlsx"]


def test_ask_refuses_a_bad_document_with_a_sentence(cli, sim: Simulator, tmp_path: Path) -> None:  # noqa: F811
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    before = len(sim.requests)
    bomb = files.write(tmp_path, "bomb.docx", files.zip_bomb("docx"))
    done = cli("ask", "Read it", "--file", str(bomb))
    assert done.returncode == 2
    assert "bomb.docx unpacks to far more data than it holds" in done.stderr
    assert "Traceback" not in done.stderr
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    done = cli("ask", "Read it", "--file", str(fifo))
    assert done.returncode == 2 and "pipe.txt is not a regular file" in done.stderr
    assert len(sim.requests) == before, "nothing was sent"
