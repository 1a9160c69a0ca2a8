#!/usr/bin/env bash
# package-mobile.sh android|ios — builds the phone app with `fyne package`,
# adding the metadata in platforms/android and platforms/ios (URL scheme,
# camera permission); the name, id, version and icon come from FyneApp.toml.
#   android: needs the Android NDK (ANDROID_NDK_HOME); writes build/Vienreiz.apk.
#   ios:     needs macOS with Xcode, an Apple development certificate and a
#            provisioning profile for lv.vienreiz.app (IOS_SIGN_IDENTITY names
#            the certificate); writes build/Vienreiz.app.
# FYNE overrides the fyne command (default: the pinned fyne.io/tools).
# VIENREIZ_APP_LINK_HOST is the host whose https://HOST/open/… links open the
# app (default vienreiz.lv; docs/app-links.md).
# VIENREIZ_SERVICE (https://…) is the running exchange service the app talks
# to: the app is then built without a service of its own (-tags noservice)
# and carries the address in its metadata ("service"). Without it the app
# embeds the exchange service with the demo member state, as `make run` does.
set -euo pipefail
cd "$(dirname "$0")/.."
fyne=${FYNE:-go run fyne.io/tools/cmd/fyne@v1.7.4}
tags=$(cat scripts/app-tags)
service=()
if [ -n "${VIENREIZ_SERVICE:-}" ]; then
  [[ $VIENREIZ_SERVICE =~ ^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[^[:space:]]*)?$ ]] || { echo "package-mobile: VIENREIZ_SERVICE must be an https://… address"; exit 2; }
  tags="$tags,noservice"
  service=(--metadata "service=$VIENREIZ_SERVICE")
  echo "the app talks to $VIENREIZ_SERVICE"
else
  echo "the app embeds the demo exchange service (set VIENREIZ_SERVICE=https://… for a running one)"
fi
host=${VIENREIZ_APP_LINK_HOST:-vienreiz.lv}
[[ $host =~ ^[A-Za-z0-9.-]+$ ]] || { echo "package-mobile: VIENREIZ_APP_LINK_HOST must be a host name"; exit 2; }
mkdir -p build
case "${1:-}" in
android)
  [ -d "${ANDROID_NDK_HOME:-}" ] || { echo "package-mobile: set ANDROID_NDK_HOME to an Android NDK (r23 or later)"; exit 1; }
  # fyne package takes an AndroidManifest.xml beside main.go instead of its own.
  sed "s/android:host=\"vienreiz.lv\"/android:host=\"$host\"/" platforms/android/AndroidManifest.xml > AndroidManifest.xml
  trap 'rm -f AndroidManifest.xml' EXIT
  $fyne package -os android -tags "$tags" "${service[@]}"
  mv Vienreiz.apk build/
  echo "built build/Vienreiz.apk"
  ;;
ios)
  [ "$(uname)" = Darwin ] && command -v xcrun >/dev/null || { echo "package-mobile: iOS builds need macOS with Xcode"; exit 1; }
  [ -n "${IOS_SIGN_IDENTITY:-}" ] || { echo "package-mobile: set IOS_SIGN_IDENTITY to your signing certificate's name"; exit 1; }
  $fyne package -os ios -tags "$tags" "${service[@]}"
  # Fyne writes its own Info.plist; add our keys and sign again.
  /usr/libexec/PlistBuddy -c "Merge platforms/ios/Info.additions.plist" Vienreiz.app/Info.plist
  sed "s/applinks:vienreiz.lv/applinks:$host/" platforms/ios/Vienreiz.entitlements > build/Vienreiz.entitlements
  codesign --force --sign "$IOS_SIGN_IDENTITY" --entitlements build/Vienreiz.entitlements Vienreiz.app
  rm -rf build/Vienreiz.app && mv Vienreiz.app build/
  echo "built build/Vienreiz.app"
  ;;
*)
  echo "usage: scripts/package-mobile.sh android|ios"; exit 2
  ;;
esac
