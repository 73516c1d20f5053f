#!/usr/bin/env bash
# Sign (optional), package and notarise (optional) "dist/Qwen Desktop.app" as a .dmg.
#
#   uv run python packaging/build.py          # builds dist/Qwen Desktop.app
#   packaging/macos/make_dmg.sh               # writes dist/qwen-desktop-<version>-macos-<arch>.dmg
#
# Signing and notarisation run only when their variables are set:
#   MACOS_SIGN_IDENTITY    "Developer ID Application: Name (TEAMID)", in the current keychain
#   MACOS_NOTARY_PROFILE   a notarytool keychain profile (xcrun notarytool store-credentials), or
#   MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_TEAM_ID, MACOS_NOTARY_PASSWORD (an app-specific password)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
app="dist/Qwen Desktop.app"
entitlements="packaging/macos/entitlements.plist"
version="$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
dmg="dist/qwen-desktop-${version}-macos-$(uname -m).dmg"
identity="${MACOS_SIGN_IDENTITY:-}"

[ -d "$app" ] || { echo "no $app: run 'uv run python packaging/build.py' first" >&2; exit 1; }

sign() {
    codesign --force --timestamp --options runtime --entitlements "$entitlements" \
        --sign "$identity" "$@"
}

if [ -n "$identity" ]; then
    # Inside out: loose libraries and extension modules, then Qt's frameworks, then the
    # executable, then the bundle itself.
    find "$app/Contents" -type f \( -name '*.so' -o -name '*.dylib' \) -print0 |
        while IFS= read -r -d '' binary; do sign "$binary"; done
    find "$app/Contents" -type d -name '*.framework' -prune -print0 |
        while IFS= read -r -d '' framework; do sign "$framework"; done
    sign "$app/Contents/MacOS/qwen-desktop"
    sign "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
fi

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
ditto "$app" "$staging/Qwen Desktop.app"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "Qwen Desktop" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "$identity" ]; then
    codesign --force --timestamp --sign "$identity" "$dmg"
fi

if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
elif [ -n "${MACOS_NOTARY_APPLE_ID:-}" ]; then
    xcrun notarytool submit "$dmg" --apple-id "$MACOS_NOTARY_APPLE_ID" \
        --team-id "${MACOS_NOTARY_TEAM_ID:?MACOS_NOTARY_TEAM_ID is needed with MACOS_NOTARY_APPLE_ID}" \
        --password "${MACOS_NOTARY_PASSWORD:?MACOS_NOTARY_PASSWORD is needed with MACOS_NOTARY_APPLE_ID}" \
        --wait
    xcrun stapler staple "$dmg"
fi

echo "$dmg"
