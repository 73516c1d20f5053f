"""What the window says about models: lessons learned from the service and thinking feedback.

The core names each lesson by kind (``FactKind``) and each send's thinking situation by flags
(``ThinkingPlan``); the sentences here are the interface-language versions of the same words.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from qwen_desktop.core.knowledge.thinking import ThinkingPlan

CONTEXT = "ModelText"


def _number(value: str | int) -> str:
    try:
        return f"{int(value):,}"
    except ValueError:
        return str(value)


def lesson_text(kind: str | None, model: str, value: str = "") -> str:
    """One learned fact in plain words; an unknown kind yields an empty string."""
    if kind == "native_path":
        text = (QCoreApplication.translate("ModelText", "%1 is served on the native multimodal path: the reply was asked for there, and the "
                    "app will go there first from now on.") if value == "multimodal" else
                QCoreApplication.translate("ModelText", "%1 is served on the native text path: the reply was asked for there, and the "
                    "app will go there first from now on."))
    elif kind == "thinking_only":
        text = QCoreApplication.translate("ModelText", "%1 always thinks: the service does not let thinking be turned off for it.")
    elif kind == "thinks_by_default":
        text = QCoreApplication.translate("ModelText", "%1 thinks unless told not to: its thinking is shown, and when thinking is off the "
                   "app now asks it not to think.")
    elif kind == "budget_cap":
        text = QCoreApplication.translate("ModelText", "%1 accepts a thinking budget of at most %2 tokens: the budget was lowered to that.")
    elif kind == "max_input":
        text = QCoreApplication.translate("ModelText", "%1 reads at most %2 tokens of input: the conversation was fitted to that under its "
                   "context policy.")
    elif kind == "no_responses_api":
        text = QCoreApplication.translate("ModelText", "%1 does not take the Responses API here: switch its "
                   "conversations to the OpenAI-compatible protocol.")
    elif kind == "text_only":
        text = QCoreApplication.translate("ModelText", "%1 cannot see images: the images are kept with your message; pick a vision model "
                   "to send them.")
    else:
        return ""
    return text.replace("%1", model).replace("%2", _number(value))


def thinking_hint(plan: ThinkingPlan, model: str) -> str:
    """The effective thinking state of the message being typed, with any warning, or ''."""
    lines: list[str] = []
    if plan.switch == "think" and plan.switch_ignored:
        lines.append(QCoreApplication.translate("ModelText", "/think has no effect while thinking is off: the service ignores it. "
                         "Turn thinking on to use it."))
    elif plan.switch == "no_think" and plan.switch_ignored:
        lines.append(QCoreApplication.translate("ModelText", "/no_think has no effect on %1: it always thinks.").replace("%1", model))
    elif plan.switch == "no_think":
        lines.append(QCoreApplication.translate("ModelText", "/no_think: this message is answered without thinking."))
    elif plan.switch == "think":
        lines.append(QCoreApplication.translate("ModelText", "/think: this message is answered with thinking."))
    if plan.forced_on:
        lines.append(QCoreApplication.translate("ModelText", "%1 always thinks: it will think for this reply even though thinking is off.")
                     .replace("%1", model))
    if plan.budget_lowered_from is not None and plan.budget is not None:
        lines.append(QCoreApplication.translate("ModelText", "%1 accepts a thinking budget of at most %2 tokens: %3 is lowered to that.")
                     .replace("%1", model).replace("%2", _number(plan.budget))
                     .replace("%3", _number(plan.budget_lowered_from)))
    if plan.system_advised:
        lines.append(QCoreApplication.translate("ModelText", "%1 works best without a system prompt: the vendor advises leaving it empty.")
                     .replace("%1", model))
    if not lines:
        return ""
    state = QCoreApplication.translate("ModelText", "Thinking: on") if plan.thinks else QCoreApplication.translate("ModelText", "Thinking: off")
    return state + " — " + " ".join(lines)
