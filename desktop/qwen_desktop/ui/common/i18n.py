"""The interface language: which one, and Qt translators for it (the app's own and Qt's)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .about import resources_dir

UI_LANGUAGES = ("en", "zh_CN", "ja_JP")
LANGUAGE_CHOICES = (
    ("system", ""),
    ("en", "English"),
    ("zh_CN", "简体中文"),
    ("ja_JP", "日本語"),
)
"""The Settings choices; each language is named in itself, so anyone can find their own."""

_installed: list[QTranslator] = []
_language = ["en"]


def translations_dir() -> Path:
    """``resources/i18n`` of the source tree, or of a packaged build."""
    return resources_dir() / "i18n"


def system_language(locale: QLocale | None = None) -> str:
    locale = locale or QLocale.system()
    if locale.language() == QLocale.Language.Chinese:
        return "zh_CN"
    if locale.language() == QLocale.Language.Japanese:
        return "ja_JP"
    return "en"


def resolve_language(setting: str, locale: QLocale | None = None) -> str:
    """``setting`` is AppConfig.language: "system" or one of UI_LANGUAGES."""
    return setting if setting in UI_LANGUAGES else system_language(locale)


def current_language() -> str:
    """The language chosen by the last install_translators() ("en" before any)."""
    return _language[0]


def install_translators(setting: str, app: QCoreApplication | None = None) -> str:
    """Replace the translators of ``app`` with those for ``setting``; returns the language used.

    Formatting (dates, numbers) follows the system locale when the setting is "system", and the
    chosen language otherwise, so the text and its numbers agree.
    """
    app = app or QCoreApplication.instance()
    language = resolve_language(setting)
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    _language[0] = language
    QLocale.setDefault(QLocale.system() if setting == "system" else QLocale(language))
    if language == "en" or app is None:
        return language
    candidates = ((f"qwen_desktop_{language}", (translations_dir(),)),
                  (f"qtbase_{language}", qt_translations_dirs()))
    for name, folders in candidates:
        translator = QTranslator(app)
        if any(translator.load(name, str(folder)) for folder in folders):
            app.installTranslator(translator)
            _installed.append(translator)
    return language


def qt_translations_dirs() -> tuple[Path, ...]:
    """Where Qt's own translations are: Qt's configured path, then the copy inside PySide6."""
    import PySide6

    return (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
            Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
