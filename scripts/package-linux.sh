#!/usr/bin/env bash
# package-linux.sh — builds build/vienreiz-linux-<arch>.tar.xz: the app, its
# icon and a freedesktop .desktop entry under usr/local, ready to unpack in /.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=$(go env GOARCH)
root=build/pkg/usr/local
rm -rf build/pkg && mkdir -p "$root/bin" "$root/share/applications" "$root/share/icons/hicolor/512x512/apps"
go build -tags "$(cat scripts/app-tags)" -trimpath -ldflags='-s -w' -o "$root/bin/vienreiz" .
cp assets/icon.png "$root/share/icons/hicolor/512x512/apps/lv.vienreiz.app.png"
# The entry registers the app for vienreiz:// links (MimeType
# x-scheme-handler/vienreiz; the package manager's update-desktop-database
# makes it the handler).
cp platforms/linux/lv.vienreiz.app.desktop "$root/share/applications/"
tar -C build/pkg -cJf "build/vienreiz-linux-$arch.tar.xz" usr
echo "built build/vienreiz-linux-$arch.tar.xz"
