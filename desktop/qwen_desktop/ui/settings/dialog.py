"""Settings: API keys per region, custom regions, defaults for new conversations, appearance.

Keys go to the system keyring the moment Save is pressed and are never put in the config;
custom regions are saved when added, edited or removed; the other pages save on Apply or OK.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSystemTrayIcon,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qwen_desktop.core.config import MAX_FONT, MIN_FONT, AppConfig
from qwen_desktop.core.context import DEFAULT_LAST_N
from qwen_desktop.core.errors import ConfigError, QwenError
from qwen_desktop.core.regions import Region, RegionRegistry
from qwen_desktop.core.secrets import ENV_KEY
from qwen_desktop.core.services import Services
from qwen_desktop.core.types import ContextPolicy, Protocol, SearchMode, ThinkingMode
from qwen_desktop.ui.common.choices import (
    CONTEXT_POLICIES,
    BudgetSpinBox,
    DEFAULT_BUDGET,
    DEFAULT_BUDGET_MAX,
    PROTOCOLS,
    SEARCH_MODES,
    THINKING_MODES,
    combo,
    current,
    model_combo,
    select_data,
)
from qwen_desktop.ui.common.error_text import error_sentence, translate_text
from qwen_desktop.ui.common.formatting import region_name
from qwen_desktop.ui.common.i18n import LANGUAGE_CHOICES, current_language, resolve_language
from qwen_desktop.ui.settings.key_test import (
    KeyField,
    KeyTestResult,
    KeyTestRunner,
    RegionChoice,
    StatusLine,
    muted,
    named,
)
from qwen_desktop.ui.settings.catalog import CatalogRow
from qwen_desktop.ui.settings.mcp import McpPage


def env_note() -> str:
    return QCoreApplication.translate("KeyRow", "Using %1 from the environment.").replace("%1", ENV_KEY)


def host_of(url: str) -> str:
    return url.split("://", 1)[-1]


class KeyRow(QFrame):
    """One region: its key field, Test / Save / Remove, and a line saying what happened."""

    keyChanged = Signal(str)
    editRequested = Signal(str)
    removeRequested = Signal(str)
    revealRequested = Signal()
    defaultRequested = Signal(str)

    def __init__(self, region: Region, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.region = region
        self._keys = services.keys
        self.setObjectName(f"keyRow_{region.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.runner = KeyTestRunner(services.client, services.regions, self)
        self.runner.resultReady.connect(self._tested)
        self._found: tuple[str, str] | None = None
        self._config = services.config
        self._regions = services.regions
        self._verdict: tuple[str, KeyTestResult] | None = None
        self._testing = ""

        title = QLabel(region_name(region))
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        address = muted(host_of(region.base_url))
        address.setWordWrap(False)
        address.setToolTip(region.base_url)
        self.field = named(KeyField(), f"keyField_{region.id}")
        self.field.setAccessibleDescription(self.tr("API key for %1").replace("%1", region_name(region)))
        self.test_button = named(QPushButton(self.tr("Test")), f"testKey_{region.id}")
        self.save_button = named(QPushButton(self.tr("Save")), f"saveKey_{region.id}")
        self.remove_button = named(QPushButton(self.tr("Remove")), f"removeKey_{region.id}")
        self.test_button.setToolTip(self.tr("Send one tiny request to check the key"))
        self.save_button.setToolTip(self.tr("Store the key in the system keyring"))
        self.remove_button.setToolTip(self.tr("Delete the stored key from the system keyring"))
        self.source = named(muted(), f"keySource_{region.id}")
        self.status = named(StatusLine(), f"keyStatus_{region.id}")
        self.default_button = named(QPushButton(self.tr("Use this region for new conversations")),
                                    f"makeDefault_{region.id}")
        self.default_button.setAutoDefault(False)
        self.default_button.hide()
        self.default_button.clicked.connect(self._make_default)

        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title)
        header.addWidget(address, 1)
        if region.key_page:
            link = named(QLabel(self.tr('<a href="%1">Get a key</a>').replace("%1", region.key_page)),
                         f"keyPage_{region.id}")
            link.setOpenExternalLinks(True)
            link.setToolTip(region.key_page)
            header.addWidget(link)
        if not region.builtin:
            header.addWidget(self._region_menu())
        entry = QHBoxLayout()
        entry.setSpacing(6)
        entry.addWidget(self.field, 1)
        for button in (self.test_button, self.save_button, self.remove_button):
            entry.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addLayout(entry)
        layout.addWidget(self.source)
        layout.addWidget(self.status)
        offer = QHBoxLayout()
        offer.addWidget(self.default_button)
        offer.addStretch(1)
        layout.addLayout(offer)

        self.field.textChanged.connect(self._update_buttons)
        self.field.returnPressed.connect(self.save)
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.refresh()

    def _region_menu(self) -> QToolButton:
        button = named(QToolButton(), f"regionMenu_{self.region.id}")
        button.setText(self.tr("Edit"))
        button.setToolTip(self.tr("Edit or remove this custom region"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        menu.addAction(self.tr("Edit region…"), lambda: self.editRequested.emit(self.region.id))
        menu.addAction(self.tr("Remove region"), lambda: self.removeRequested.emit(self.region.id))
        button.setMenu(menu)
        return button

    def stored(self) -> tuple[str, str] | None:
        try:
            return self._keys.get(self.region.id)
        except QwenError:
            return None

    def refresh(self) -> None:
        self._found = found = self.stored()
        if found is None:
            self.source.setText(self.tr("No key yet."))
            self.field.setPlaceholderText(self.tr("Paste an API key (sk-…)"))
        elif found[1] == "environment":
            self.source.setText(env_note())
            self.field.setPlaceholderText(self.tr("Paste a key to keep one for this region"))
        else:
            self.source.setText(self.tr("Stored in the system keyring: %1").replace(
                "%1", self._keys.mask(found[0])))
            self.field.setPlaceholderText(self.tr("Paste a new key to replace it"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        found = self._found
        typed = bool(self.field.text().strip())
        self.save_button.setEnabled(typed)
        self.test_button.setEnabled((typed or found is not None) and not self.runner.running)
        self.remove_button.setEnabled(found is not None and found[1] == "keyring")

    def test(self) -> None:
        key = self.field.text().strip()
        if not key:
            found = self.stored()
            key = found[0] if found else ""
        if not key:
            self.status.show_failure(self.tr("Paste a key to test."))
            return
        self.status.show_busy(self.tr("Testing…"))
        self._testing = key
        self.runner.start(self.region.id, key)
        self._update_buttons()
        self.revealRequested.emit()

    def _tested(self, result: KeyTestResult) -> None:
        self._verdict = (self._testing, result)
        self.status.show_result(result)
        self._update_buttons()
        self.revealRequested.emit()

    def save(self) -> None:
        key = self.field.text().strip()
        if not key:
            return
        if self._verdict is not None and self._verdict[0] == key and self._verdict[1].rejected:
            self.status.show_failure(self.tr("Not saved: %1 Paste another key, or test it again.").replace(
                "%1", translate_text(self._verdict[1].sentence)))
            self.revealRequested.emit()
            return
        first = self._found is None
        try:
            self._keys.set(self.region.id, self.field.text())
        except QwenError as error:
            self.status.show_failure(error_sentence(error))
            return
        self.field.clear()
        self.status.show_success(self.tr("Saved in the system keyring."))
        self.refresh()
        self.default_button.setVisible(first and self._config.default_region != self.region.id
                                       and not self._default_has_key())
        self.keyChanged.emit(self.region.id)
        self.revealRequested.emit()

    def _default_has_key(self) -> bool:
        try:
            return self._keys.get(self._config.default_region) is not None
        except QwenError:
            return False

    def _make_default(self) -> None:
        self.default_button.hide()
        self.defaultRequested.emit(self.region.id)
        self.status.show_success(self.tr("New conversations will use %1.").replace("%1", region_name(self.region)))

    def remove(self) -> None:
        try:
            removed = self._keys.delete(self.region.id)
        except QwenError as error:
            self.status.show_failure(error_sentence(error))
            return
        self.status.show_note(self.tr("Removed the stored key.") if removed
                              else self.tr("There was no stored key."))
        self.refresh()
        self.keyChanged.emit(self.region.id)

    def cancel(self) -> None:
        self.runner.cancel()


class CustomRegionForm(QGroupBox):
    """Adds a custom region or edits one; the id of an existing region stays fixed."""

    submitted = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Custom region"))
        named(self, "customRegionForm")
        self.editing: str | None = None
        self.id_field = named(QLineEdit(), "customRegionId")
        self.id_field.setPlaceholderText(self.tr("e.g. my-proxy"))
        self.name_field = named(QLineEdit(), "customRegionName")
        self.name_field.setPlaceholderText(self.tr("e.g. Company gateway"))
        self.url_field = named(QLineEdit(), "customRegionUrl")
        self.url_field.setPlaceholderText("https://gateway.example.com")
        self.submit_button = named(QPushButton(self.tr("Add region")), "customRegionSubmit")
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "customRegionCancel")
        self.submit_button.setDefault(False)
        self.submit_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Id"), self.id_field)
        form.addRow(self.tr("Name"), self.name_field)
        form.addRow(self.tr("Base URL"), self.url_field)
        form.addRow(buttons)
        self.submit_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.hide)
        self.url_field.returnPressed.connect(self._submit)

    def start_add(self) -> None:
        self.editing = None
        self.setTitle(self.tr("New custom region"))
        self.submit_button.setText(self.tr("Add region"))
        self.id_field.setReadOnly(False)
        for field in (self.id_field, self.name_field, self.url_field):
            field.clear()
        self.show()
        self.id_field.setFocus()

    def start_edit(self, region: Region) -> None:
        self.editing = region.id
        self.setTitle(self.tr("Edit %1").replace("%1", region_name(region)))
        self.submit_button.setText(self.tr("Save region"))
        self.id_field.setText(region.id)
        self.id_field.setReadOnly(True)
        self.name_field.setText(region.name)
        self.url_field.setText(region.base_url)
        self.show()
        self.name_field.setFocus()

    def _submit(self) -> None:
        self.submitted.emit(self.id_field.text().strip(), self.name_field.text().strip(), self.url_field.text())


class KeysPage(QWidget):
    keysChanged = Signal(str)
    regionsChanged = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "keysPage")
        self._services = services
        self.rows: dict[str, KeyRow] = {}
        intro = muted(self.tr(
            "Each region has its own API keys: a Singapore key does not work in Beijing. "
            "Keys are kept in the system keyring, never in a settings file."
        ))
        self.keyring_message = named(StatusLine(), "keyringMessage")
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(8)
        self.add_button = named(QPushButton(self.tr("Add custom region…")), "addRegionButton")
        self.add_button.setAutoDefault(False)
        self.form = CustomRegionForm()
        self.form.hide()
        self.region_message = named(StatusLine(), "customRegionMessage")

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 6, 0)
        column.addLayout(self._rows_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        column.addLayout(add_row)
        column.addWidget(self.form)
        column.addWidget(self.region_message)
        column.addStretch(1)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.keyring_message)
        layout.addWidget(scroll, 1)

        self.add_button.clicked.connect(self._start_add)
        self.form.submitted.connect(self._submit_region)
        self.rebuild()

    @property
    def regions(self) -> RegionRegistry:
        return self._services.regions

    def rebuild(self) -> None:
        for row in self.rows.values():
            row.cancel()
            self._rows_box.removeWidget(row)
            row.deleteLater()
        self.rows = {}
        for region in self.regions.all():
            row = KeyRow(region, self._services)
            row.keyChanged.connect(self.keysChanged)
            row.editRequested.connect(self._start_edit)
            row.removeRequested.connect(self._remove_region)
            row.revealRequested.connect(lambda row=row: self._reveal(row))
            row.defaultRequested.connect(self._make_default)
            self._rows_box.addWidget(row)
            self.rows[region.id] = row
        self._check_keyring()

    def _check_keyring(self) -> None:
        try:
            self._services.keys.stored_regions(["intl"])
        except QwenError as error:
            self.keyring_message.show_failure(error_sentence(error))
        else:
            self.keyring_message.clear_message()

    def cancel_tests(self) -> None:
        for row in self.rows.values():
            row.cancel()

    def start_add(self) -> None:
        self._start_add()

    def _start_add(self) -> None:
        self.region_message.clear_message()
        self.form.start_add()
        self._reveal(self.form)

    def _start_edit(self, region_id: str) -> None:
        self.region_message.clear_message()
        self.form.start_edit(self.regions.get(region_id))
        self._reveal(self.form)

    def _reveal(self, widget: QWidget) -> None:
        QTimer.singleShot(0, self, lambda: self.scroll.ensureWidgetVisible(widget))

    def _submit_region(self, region_id: str, name: str, base_url: str) -> None:
        if self.form.editing is None and region_id in self.regions:
            self.region_message.show_failure(self.tr("A region with the id %1 already exists.").replace(
                "%1", repr(region_id)))
            return
        try:
            region, warnings = self.regions.add_custom(region_id, name, base_url)
        except ConfigError as error:
            self.region_message.show_failure(error_sentence(error))
            return
        done = self.tr("Saved %1 (%2).") if self.form.editing else self.tr("Added %1 (%2).")
        self.form.hide()
        line = done.replace("%1", region.name).replace("%2", region.base_url)
        self._saved_regions([line, *map(translate_text, warnings)], bool(warnings))
        row = self.rows.get(region.id)
        if row is not None:
            row.field.setFocus(Qt.FocusReason.OtherFocusReason)
            self._reveal(row)

    def _make_default(self, region_id: str) -> None:
        self._services.config.default_region = region_id
        try:
            self._services.save_config()
        except (QwenError, OSError) as error:
            self.region_message.show_failure(self.tr("The settings could not be saved: %1").replace("%1", str(error)))
        self.regionsChanged.emit()

    def _remove_region(self, region_id: str) -> None:
        name = region_name(self.regions.get(region_id))
        try:
            self.regions.remove_custom(region_id)
            self._services.keys.delete(region_id)
        except QwenError as error:
            self.region_message.show_failure(error_sentence(error))
            return
        if self._services.config.default_region == region_id:
            self._services.config.default_region = AppConfig().default_region
        self._saved_regions([self.tr("Removed %1 and its stored key.").replace("%1", name)], False)

    def _saved_regions(self, lines: list[str], warn: bool) -> None:
        try:
            self._services.save_config()
        except (QwenError, OSError) as error:
            lines.append(self.tr("The settings could not be saved: %1").replace("%1", str(error)))
            warn = True
        self.rebuild()
        message = " ".join(lines)
        if warn:
            self.region_message.show_warning(message)
        else:
            self.region_message.show_success(message)
        self.regionsChanged.emit()


class DefaultsPage(QWidget):
    """What a new conversation starts with."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "defaultsPage")
        self.region = RegionChoice(services.regions)
        self.protocol = named(combo(PROTOCOLS), "defaultProtocol")
        self.model = named(model_combo(services.catalog), "defaultModel")
        self.thinking = named(combo(THINKING_MODES), "defaultThinking")
        self.budget = named(BudgetSpinBox(), "defaultThinkingBudget")
        self.budget.setRange(1, DEFAULT_BUDGET_MAX)
        self.budget.setSingleStep(1024)
        self.budget.setGroupSeparatorShown(True)
        self.budget.setSuffix(self.tr(" tokens"))
        self.policy = named(combo(CONTEXT_POLICIES), "defaultContextPolicy")
        self.last_n = named(QSpinBox(), "defaultLastN")
        self.last_n.setRange(1, 500)
        self.last_n.setSuffix(self.tr(" rounds"))
        self.search = named(combo(SEARCH_MODES), "defaultSearch")
        self.search.setToolTip(self.tr("Whether new conversations let the model search the web"))

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        form.addRow(self.tr("Region"), self.region)
        form.addRow(self.tr("Protocol"), self._left(self.protocol))
        form.addRow(self.tr("Model"), self._left(self.model))
        form.addRow(self.tr("Thinking"), self._left(self.thinking, self.budget))
        form.addRow(self.tr("Context"), self._left(self.policy, self.last_n))
        form.addRow(self.tr("Web search"), self._left(self.search))
        self.catalog = CatalogRow(services, self)
        form.addRow(self.tr("Models"), self.catalog)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(14)
        layout.addWidget(muted(self.tr("New conversations start with these settings. "
                                       "Each conversation can change them in the bar above the chat.")))
        layout.addLayout(form)
        layout.addStretch(1)
        self.thinking.currentIndexChanged.connect(self._update_enabled)
        self.policy.currentIndexChanged.connect(self._update_enabled)

    @staticmethod
    def _left(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _update_enabled(self) -> None:
        self.budget.setEnabled(current(self.thinking, ThinkingMode) is ThinkingMode.BUDGET)
        self.last_n.setEnabled(current(self.policy, ContextPolicy) is ContextPolicy.LAST_N)

    def load(self, config: AppConfig) -> None:
        self.region.set_region(config.default_region)
        select_data(self.protocol, config.default_protocol)
        self.model.setEditText(config.default_model)
        select_data(self.thinking, config.default_thinking)
        self.budget.setValue(config.default_thinking_budget or DEFAULT_BUDGET)
        select_data(self.policy, config.default_context_policy)
        self.last_n.setValue(int(config.default_context_params.get("n", DEFAULT_LAST_N)))
        select_data(self.search, config.default_search)
        self._update_enabled()

    def apply(self, config: AppConfig) -> None:
        config.default_region = self.region.region_id()
        config.default_protocol = current(self.protocol, Protocol)
        config.default_model = self.model.currentText().strip() or config.default_model
        config.default_thinking = current(self.thinking, ThinkingMode)
        config.default_thinking_budget = self.budget.value() if self.budget.isEnabled() else None
        config.default_context_policy = current(self.policy, ContextPolicy)
        params = dict(config.default_context_params)
        if self.last_n.isEnabled():
            params["n"] = self.last_n.value()
        config.default_context_params = params
        config.default_search = current(self.search, SearchMode)


class AppearancePage(QWidget):
    THEMES = (("system", QT_TRANSLATE_NOOP("AppearancePage", "Follow the system"), "themeSystem"),
              ("light", QT_TRANSLATE_NOOP("AppearancePage", "Light"), "themeLight"),
              ("dark", QT_TRANSLATE_NOOP("AppearancePage", "Dark"), "themeDark"))
    SEND = (("enter", QT_TRANSLATE_NOOP("AppearancePage", "Enter sends, Shift+Enter starts a new line"),
             "sendWithEnter"),
            ("ctrl_enter", QT_TRANSLATE_NOOP("AppearancePage", "Ctrl+Enter sends, Enter starts a new line"),
             "sendWithCtrlEnter"))

    restartRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "appearancePage")
        self.theme = self._choices(self.THEMES)
        self.send = self._choices(self.SEND)
        self.language = named(QComboBox(), "languageSelector")
        for value, name in LANGUAGE_CHOICES:
            self.language.addItem(name or self.tr("System"), value)
        self.restart_note = named(QLabel(self.tr("Restart Qwen Desktop to change the language.")),
                                  "restartNote")
        self.restart_note.setWordWrap(True)
        self.restart_button = named(QPushButton(self.tr("Restart now")), "restartButton")
        self.restart_button.setAutoDefault(False)
        self.restart_button.clicked.connect(self.restartRequested)
        self.language.currentIndexChanged.connect(self._language_changed)
        language_row = QHBoxLayout()
        language_row.addWidget(self.language)
        language_row.addStretch(1)
        restart_row = QHBoxLayout()
        restart_row.addWidget(self.restart_note, 1)
        restart_row.addWidget(self.restart_button)
        language_box = QVBoxLayout()
        language_box.setSpacing(6)
        language_box.addLayout(language_row)
        language_box.addLayout(restart_row)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(14)
        form.addRow(self.tr("Theme"), self._box(self.theme, horizontal=True))
        form.addRow(self.tr("Sending"), self._box(self.send, horizontal=False))
        form.addRow(self.tr("Language"), language_box)
        self.font_size = named(QSpinBox(), "fontSizeSpin")
        self.font_size.setRange(MIN_FONT - 1, MAX_FONT)
        self.font_size.setSpecialValueText(self.tr("System"))
        self.font_size.setSuffix(self.tr(" pt"))
        self.font_size.setToolTip(self.tr("Ctrl+= and Ctrl+- change it too; Ctrl+0 returns to the system's size"))
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_size)
        font_row.addStretch(1)
        form.addRow(self.tr("Text size"), font_row)
        self.keep_in_tray = named(QCheckBox(self.tr(
            "Keep running in the tray when the window closes, so replies finish in the background")),
            "keepInTrayCheck")
        if not QSystemTrayIcon.isSystemTrayAvailable():
            self.keep_in_tray.setEnabled(False)
            self.keep_in_tray.setToolTip(self.tr("This desktop shows no tray icons."))
        form.addRow(self.tr("Window"), self.keep_in_tray)
        self.idle_timeout = named(QSpinBox(), "idleTimeoutSpin")
        self.idle_timeout.setRange(5, 3600)
        self.idle_timeout.setSuffix(self.tr(" s without progress"))
        self.total_timeout = named(QSpinBox(), "totalTimeoutSpin")
        self.total_timeout.setRange(1, 600)
        self.total_timeout.setSuffix(self.tr(" min in all"))
        timeout_row = QHBoxLayout()
        timeout_row.addWidget(self.idle_timeout)
        timeout_row.addWidget(self.total_timeout)
        timeout_row.addStretch(1)
        self.idle_timeout.setToolTip(self.tr(
            "A reply is given up when the service sends nothing new for this long, or when it takes "
            "longer than this in all; what arrived is kept"))
        self.total_timeout.setToolTip(self.idle_timeout.toolTip())
        form.addRow(self.tr("Give up a reply after"), timeout_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(form)
        layout.addStretch(1)
        self._language_changed()

    def language_setting(self) -> str:
        return str(self.language.currentData())

    def needs_restart(self) -> bool:
        return resolve_language(self.language_setting()) != current_language()

    def _language_changed(self, _index: int = 0) -> None:
        self.restart_note.setVisible(self.needs_restart())
        self.restart_button.setVisible(self.needs_restart())

    def _choices(self, options: tuple[tuple[str, str, str], ...]) -> QButtonGroup:
        group = QButtonGroup(self)
        for value, text, name in options:
            button = named(QRadioButton(self.tr(text)), name)
            button.setProperty("value", value)
            group.addButton(button)
        return group

    @staticmethod
    def _box(group: QButtonGroup, horizontal: bool) -> QWidget:
        box = QWidget()
        layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(box) if horizontal else QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16 if horizontal else 6)
        for button in group.buttons():
            layout.addWidget(button)
        if horizontal:
            layout.addStretch(1)
        return box

    @staticmethod
    def _pick(group: QButtonGroup, value: str) -> None:
        for button in group.buttons():
            button.setChecked(button.property("value") == value)

    @staticmethod
    def _picked(group: QButtonGroup, fallback: str) -> str:
        button = group.checkedButton()
        return str(button.property("value")) if button else fallback

    def load(self, config: AppConfig) -> None:
        self._pick(self.theme, config.theme)
        self._pick(self.send, config.send_with)
        select_data(self.language, config.language)
        self._language_changed()
        self.font_size.setValue(config.font_size or self.font_size.minimum())
        self.keep_in_tray.setChecked(config.keep_in_tray)
        self.idle_timeout.setValue(round(config.idle_timeout_s))
        self.total_timeout.setValue(max(1, round(config.total_timeout_s / 60)))

    def apply(self, config: AppConfig) -> None:
        config.theme = self._picked(self.theme, config.theme)
        config.send_with = self._picked(self.send, config.send_with)
        config.language = self.language_setting()
        size = self.font_size.value()
        config.font_size = None if size < MIN_FONT else size
        config.keep_in_tray = self.keep_in_tray.isChecked()
        config.idle_timeout_s = float(self.idle_timeout.value())
        config.total_timeout_s = float(self.total_timeout.value() * 60)


class SettingsDialog(QDialog):
    """Open with ``open()``; ``settingsChanged`` follows every save of the config."""

    settingsChanged = Signal()
    keysChanged = Signal(str)
    restartRequested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._services = services
        self.keys_page = KeysPage(services)
        self.defaults_page = DefaultsPage(services)
        self.appearance_page = AppearancePage()
        self.tabs = named(QTabWidget(), "settingsTabs")
        self.tabs.addTab(self.keys_page, self.tr("Keys && regions"))
        self.tabs.addTab(self.defaults_page, self.tr("Defaults"))
        self.tabs.addTab(self.appearance_page, self.tr("Appearance"))
        self.mcp_page = McpPage(services)
        self.tabs.addTab(self.mcp_page, self.tr("MCP servers"))
        self.save_message = named(StatusLine(), "saveMessage")
        self.buttons = named(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        ), "settingsButtons")
        for role, name in ((QDialogButtonBox.StandardButton.Ok, "okButton"),
                           (QDialogButtonBox.StandardButton.Cancel, "cancelButton"),
                           (QDialogButtonBox.StandardButton.Apply, "applyButton")):
            named(self.buttons.button(role), name)
        footer = QGridLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.save_message, 0, 0)
        footer.addWidget(self.buttons, 0, 1, Qt.AlignmentFlag.AlignRight)
        footer.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(footer)
        self.resize(640, 600)

        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        self.keys_page.keysChanged.connect(self.keysChanged)
        self.keys_page.regionsChanged.connect(self._regions_changed)
        self.appearance_page.restartRequested.connect(self._restart)
        self._load()

    def _load(self) -> None:
        self.defaults_page.load(self._services.config)
        self.appearance_page.load(self._services.config)

    def apply(self) -> bool:
        config = self._services.config
        self.defaults_page.apply(config)
        self.appearance_page.apply(config)
        try:
            self._services.save_config()
        except (QwenError, OSError) as error:
            self.save_message.show_failure(self.tr("The settings could not be saved: %1").replace(
                "%1", str(error)))
            return False
        self.save_message.clear_message()
        self.settingsChanged.emit()
        return True

    def _restart(self) -> None:
        if self.apply():
            self.accept()
            self.restartRequested.emit()

    def _ok(self) -> None:
        if self.apply():
            self.accept()

    def _regions_changed(self) -> None:
        self.defaults_page.region.reload()
        self.defaults_page.region.set_region(self._services.config.default_region)
        self.settingsChanged.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Enter in a field does that field's job (add the region, save the key), never OK as well."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(self.focusWidget(), QLineEdit):
            event.accept()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        self.keys_page.cancel_tests()
        super().done(result)
