"""The context inspector: which messages a request carried, section by section, and which not."""

from __future__ import annotations

import json

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.context import ContextInputs, ContextManager, ContextTooLongError, HistoryItem, SummaryView, plan_context
from ...core.context.counts import MessageCounts
from ...core.context.tables import SummaryRecord, SummaryStatus
from ...core.responses import CHAIN_LOST_NOTICE, next_chain
from ...core.storage import Message
from ...core.generation import wire_fields
from ...core.types import ContextPolicy, ConversationSettings, Role, WireMessage
from ..common.formatting import number
from ..common.model_text import lesson_text

CONTEXT = "ContextInspector"
SECTION_NAMES = {
    "system": QT_TRANSLATE_NOOP("ContextInspector", "System prompt"),
    "summary": QT_TRANSLATE_NOOP("ContextInspector", "Summary of earlier messages"),
    "retrieved": QT_TRANSLATE_NOOP("ContextInspector", "Retrieved rounds"),
    "recent": QT_TRANSLATE_NOOP("ContextInspector", "Recent rounds"),
    "new": QT_TRANSLATE_NOOP("ContextInspector", "New message"),
    "held": QT_TRANSLATE_NOOP("ContextInspector", "Kept by the service (not sent again)"),
    "not_sent": QT_TRANSLATE_NOOP("ContextInspector", "Not sent"),
}
POLICY_NAMES = {
    "full": QT_TRANSLATE_NOOP("ContextInspector", "Full history"),
    "last_n": QT_TRANSLATE_NOOP("ContextInspector", "Last N rounds"),
    "summary": QT_TRANSLATE_NOOP("ContextInspector", "Rolling summary"),
    "retrieval": QT_TRANSLATE_NOOP("ContextInspector", "Retrieval"),
}
TINTS = {"retrieved": "#f59e0b", "recent": "#3b82f6", "summary": "#8b5cf6", "held": "#10b981"}
PREVIEW_CHARS = 90


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


@dataclass(frozen=True)
class Entry:
    message_id: int
    role: Role
    text: str
    tokens: int


@dataclass
class Inspection:
    """One request, sorted into sections; tokens per section as the engine counted them."""

    policy: str
    tokens: dict[str, int]
    budget: int
    max_input: int
    system: str
    summary: str | None
    sections: dict[str, list[Entry]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)
    over: bool = False
    pending_retrieval: bool = False
    lessons: list[str] = field(default_factory=list)
    """What the service taught about the model in this region, in plain words."""
    server: dict[str, Any] = field(default_factory=dict)
    """Responses protocol: whether the service held the history (``state``: start, chained, expired)."""
    reported: tuple[int, int] | None = None
    """What the service reported as input, and how much of it came from its cache."""
    parameters: dict[str, Any] | None = None
    """The generation parameters sent (wire names); None where the reply has no record of them."""


def _sort(history: Sequence[HistoryItem], counts: MessageCounts, notes: dict[str, Any],
          summary: SummaryRecord | None, new: Entry) -> dict[str, list[Entry]]:
    retrieved = set(notes.get("retrieved_ids") or ())
    recent = set(notes.get("recent_ids") or ())
    held = set((notes.get("server_history") or {}).get("held_ids") or ())
    sent = retrieved | recent
    covered = (summary.first_message_id, summary.last_message_id) if summary else None
    sections: dict[str, list[Entry]] = {"summary": [], "retrieved": [], "recent": [], "new": [new],
                                        "not_sent": [], "held": []}
    for item in history:
        if item.role not in (Role.USER, Role.ASSISTANT):
            continue
        entry = Entry(item.message_id, item.role, item.content, counts.item(item))
        if item.message_id in held:
            sections["held"].append(entry)
        elif item.message_id in retrieved:
            sections["retrieved"].append(entry)
        elif item.message_id in recent:
            sections["recent"].append(entry)
        elif covered and covered[0] <= item.message_id <= covered[1] and item.message_id not in sent:
            sections["summary"].append(entry)
        else:
            sections["not_sent"].append(entry)
    return sections


def _summary_record(manager: ContextManager, cid: int, summary_id: object) -> SummaryRecord | None:
    if not isinstance(summary_id, int):
        return None
    return next((r for r in manager.summaries(cid) if r.id == summary_id), None)


def _lessons(manager: ContextManager, settings: ConversationSettings) -> list[str]:
    facts = manager.catalog.facts
    if facts is None or not hasattr(facts, "of"):
        return []
    known = facts.of(settings.region_id, settings.model)
    return [text for kind, value in known.items() if (text := lesson_text(kind.value, settings.model, value))]


def inspect_reply(manager: ContextManager, reply: Message, messages: Sequence[Message],
                  settings: ConversationSettings) -> Inspection | None:
    notes = reply.context
    if not notes or "tokens" not in notes:
        return None
    earlier = [m for m in messages if m.id < reply.id]
    question = next((m for m in reversed(earlier) if m.role is Role.USER), None)
    history = manager.counted_history([m for m in earlier if question is None or m.id < question.id], settings)
    counts = MessageCounts(manager.counter, manager.params(settings).image_patch)
    tokens = dict(notes.get("tokens") or {})
    new = Entry(question.id if question else 0, Role.USER, question.content if question else "",
                int(tokens.get("new", 0)))
    summary = _summary_record(manager, reply.conversation_id, notes.get("summary_id"))
    inspection = Inspection(
        str(notes.get("policy", "")), tokens, int(notes.get("budget", 0)),
        int(notes.get("max_input", 0)), settings.system_prompt if notes.get("system") else "",
        summary.text if summary else None, notices=list(notes.get("notices") or ()),
        cache=dict(notes.get("cache") or {}), lessons=_lessons(manager, settings),
        server=dict(notes.get("server_history") or {}),
        parameters=dict(notes["parameters"]) if isinstance(notes.get("parameters"), dict) else None,
    )
    if inspection.server and reply.usage is not None:
        inspection.reported = (reply.usage.input_tokens, reply.usage.cached_tokens)
    inspection.sections = _sort(history, counts, notes, summary, new)
    return inspection


def inspect_next(manager: ContextManager, cid: int | None, settings: ConversationSettings,
                 draft: str, attachments: Sequence[Mapping[str, Any]] = ()) -> Inspection:
    params = manager.params(settings)
    extra, images = manager.draft_extra(attachments, settings)
    counts = MessageCounts(manager.counter, params.image_patch)
    messages = manager.store.messages(cid) if cid else []
    history = manager.counted_history(messages, settings)
    inputs = ContextInputs(settings, params, history, WireMessage(Role.USER, draft), new_extra=extra,
                           new_images=images)
    summary: SummaryRecord | None = None
    if settings.context_policy is ContextPolicy.SUMMARY and cid:
        present = {item.message_id for item in history}
        summary = next((r for r in reversed(manager.summaries(cid))
                        if r.status is SummaryStatus.READY and r.last_message_id in present), None)
        if summary is not None:
            inputs = ContextInputs(settings, params, history, inputs.new_message, summary=SummaryView(
                summary.id, summary.text, summary.first_message_id, summary.last_message_id))
    over = False
    try:
        notes: dict[str, Any] = dict(plan_context(inputs, counts).notes)
    except ContextTooLongError:
        over = True
        meter = manager.meter(cid or 0, settings, draft, attachments)
        notes = {"policy": settings.context_policy.value, "tokens": {**meter.sections, "total": meter.total},
                 "recent_ids": [], "retrieved_ids": [], "notices": []}
    chain = next_chain(manager.store, settings, cid or 0)
    if chain is not None:
        size = counts.message(WireMessage(Role.USER, draft)) + extra
        notes = {"policy": settings.context_policy.value, "tokens": {"new": size, "total": size},
                 "server_history": {"state": "chained", "previous_response_id": chain.response_id,
                                    "held_ids": list(chain.held_ids)}}
    tokens = dict(notes["tokens"])
    new = Entry(0, Role.USER, draft, int(tokens.get("new", 0)))
    used_summary = summary if notes.get("summary_id") is not None else None
    inspection = Inspection(
        settings.context_policy.value, tokens, params.budget, params.max_input,
        settings.system_prompt, used_summary.text if used_summary else None,
        notices=list(notes.get("notices") or ()), cache=dict(notes.get("cache") or {}), over=over,
        pending_retrieval=settings.context_policy is ContextPolicy.RETRIEVAL and chain is None,
        server=dict(notes.get("server_history") or {}),
        lessons=_lessons(manager, settings),
        parameters=_planned_parameters(settings),
    )
    inspection.sections = _sort(history, counts, notes, used_summary, new)
    return inspection


def _planned_parameters(settings: ConversationSettings) -> dict[str, Any]:
    planned: dict[str, Any] = {}
    if settings.temperature is not None:
        planned["temperature"] = settings.temperature
    if settings.generation.max_tokens is not None and settings.protocol.value != "responses":
        planned["max_tokens"] = settings.generation.max_tokens
    planned.update(wire_fields(settings.generation, settings.protocol.value))
    return planned


def parameters_line(parameters: dict[str, Any]) -> str:
    """``temperature 0.3 · top_p 0.8 · stop "END", "###" · JSON mode`` under the wire names."""
    parts = []
    for name, value in parameters.items():
        if name in ("response_format", "text"):
            parts.append("JSON mode")
        elif name == "stop":
            parts.append("stop " + ", ".join(json.dumps(s, ensure_ascii=False) for s in value))
        else:
            parts.append(f"{name} {json.dumps(value)}")
    return " · ".join(parts)


def _preview(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= PREVIEW_CHARS else line[:PREVIEW_CHARS - 1] + "…"


class ContextInspector(QDialog):
    def __init__(self, title: str, inspection: Inspection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contextInspector")
        self.setWindowTitle(title)
        self.inspection = inspection
        self.heading = QLabel(self)
        self.heading.setObjectName("inspectorHeading")
        self.heading.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("inspectorTree")
        self.tree.setHeaderLabels([self.tr("Message"), self.tr("Tokens")])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.notes = QLabel(self)
        self.notes.setObjectName("inspectorNotes")
        self.notes.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)
        self.resize(620, 520)
        self._fill()

    def section_items(self) -> dict[str, QTreeWidgetItem]:
        return {self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): self.tree.topLevelItem(i)
                for i in range(self.tree.topLevelItemCount())}

    def _fill(self) -> None:
        data = self.inspection
        total = int(data.tokens.get("total", 0))
        policy = tr(POLICY_NAMES.get(data.policy, data.policy))
        self.heading.setText(self.tr("%1 · %2 tokens of %3 (budget %4)").replace("%1", policy)
                             .replace("%2", number(total)).replace("%3", number(data.max_input))
                             .replace("%4", number(data.budget)))
        bold = QFont(self.tree.font())
        bold.setWeight(QFont.Weight.DemiBold)
        if data.system.strip():
            self._section("system", int(data.tokens.get("system", 0)), bold,
                          [(self.tr("system"), data.system, None)])
        if data.summary is not None:
            covered = data.sections.get("summary", [])
            children = [(self.tr("summary"), data.summary, None)]
            children += [(_role(e.role), e.text, e.tokens) for e in covered]
            self._section("summary", int(data.tokens.get("summary", 0)), bold, children,
                          note=self.tr("%1 messages folded into it").replace("%1", number(len(covered))))
        for key in ("held", "retrieved", "recent", "new"):
            if key == "held" and not data.sections.get("held"):
                continue
            entries = data.sections.get(key, [])
            if key == "retrieved" and not entries and not data.pending_retrieval:
                continue
            note = self.tr("picked when you send, by similarity to your message") if (
                key == "retrieved" and data.pending_retrieval and not entries) else ""
            self._section(key, int(data.tokens.get(key, 0)), bold,
                          [(_role(e.role), e.text, e.tokens) for e in entries], note=note)
        dropped = data.sections.get("not_sent", [])
        if dropped:
            self._section("not_sent", sum(e.tokens for e in dropped), bold,
                          [(_role(e.role), e.text, e.tokens) for e in dropped],
                          note=self.tr("the model did not see these"), muted=True)
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            item.setExpanded(item.data(0, Qt.ItemDataRole.UserRole) != "not_sent" or item.childCount() <= 12)
        lines = [n for n in data.notices if data.server.get("state") != "expired" or n != CHAIN_LOST_NOTICE]
        lines += self._server_lines()
        if data.over:
            lines.insert(0, self.tr("This request would not fit the input window under the current policy."))
        if data.cache.get("explicit"):
            lines.append(self.tr("Explicit cache: the first %1 tokens are marked for caching.")
                         .replace("%1", number(int(data.cache.get("prefix_tokens", 0)))))
        if int(data.tokens.get("images", 0)):
            lines.append(self.tr("Images: %1 tokens of the total.").replace(
                "%1", number(int(data.tokens["images"]))))
        if data.lessons:
            lines.append(self.tr("Learned from the service: %1").replace("%1", " ".join(data.lessons)))
        if data.parameters is not None:
            lines.append(self.tr("Parameters sent: %1").replace("%1", parameters_line(data.parameters))
                         if data.parameters else self.tr("Parameters sent: none (the model's defaults)"))
        self.notes.setText("\n".join(lines))
        self.notes.setVisible(bool(lines))

    def _server_lines(self) -> list[str]:
        data = self.inspection
        state = data.server.get("state")
        lines: list[str] = []
        if state == "chained":
            lines.append(self.tr("Responses API: the service keeps the earlier turns, so only the new "
                                 "message is sent (continuing from response %1).")
                         .replace("%1", str(data.server.get("previous_response_id", ""))))
        elif state == "expired":
            lines.append(self.tr("The service no longer kept the earlier turns (their response expired "
                                 "or was deleted), so this request carried the history again, as the "
                                 "context policy built it."))
        elif state == "start":
            lines.append(self.tr("Responses API: the service keeps this turn, so the next request sends "
                                 "only the new message."))
        if data.reported is not None:
            lines.append(self.tr("The service reported %1 input tokens, %2 of them read from its cache.")
                         .replace("%1", number(data.reported[0])).replace("%2", number(data.reported[1])))
        return lines

    def _section(self, key: str, tokens: int, font: QFont, children: list[tuple[str, str, int | None]],
                 note: str = "", muted: bool = False) -> None:
        name = tr(SECTION_NAMES[key])
        count = len(children)
        label = name if not note else f"{name} — {note}"
        if key in ("retrieved", "recent", "not_sent") and count:
            label = f"{label} ({number(count)})"
        item = QTreeWidgetItem([label, number(tokens)])
        item.setData(0, Qt.ItemDataRole.UserRole, key)
        item.setFont(0, font)
        item.setFont(1, font)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tint = TINTS.get(key)
        if tint:
            item.setForeground(0, QBrush(QColor(tint)))
        for role, text, child_tokens in children:
            child = QTreeWidgetItem([f"{role}: {_preview(text)}",
                                     number(child_tokens) if child_tokens is not None else ""])
            child.setToolTip(0, text[:2000])
            child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if muted:
                child.setForeground(0, QBrush(self.palette().color(self.palette().ColorGroup.Disabled,
                                                                   self.palette().ColorRole.Text)))
            elif tint:
                color = QColor(tint)
                color.setAlphaF(0.12)
                child.setBackground(0, QBrush(color))
            item.addChild(child)
        self.tree.addTopLevelItem(item)


def _role(role: Role) -> str:
    if role is Role.USER:
        return QCoreApplication.translate("ContextInspector", "You")
    return QCoreApplication.translate("ContextInspector", "Qwen")
