#!/usr/bin/env bash
# package-linux.sh — builds build/vienreiz-linux-<arch>.tar.xz: the app, its
# icon and a freedesktop .desktop entry under usr/local, ready to unpack in /.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=$(go env GOARCH)
root=build/pkg/usr/local
rm -rf build/pkg && mkdir -p "$root/bin" "$root/share/applications" "$root/share/icons/hicolor/512x512/apps"
go build -trimpath -ldflags='-s -w' -o "$root/bin/vienreiz" .
cp assets/icon.png "$root/share/icons/hicolor/512x512/apps/lv.vienreiz.app.png"
cat > "$root/share/applications/lv.vienreiz.app.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Vienreiz
GenericName=Once-only public services
Comment=Give a piece of evidence to the state once
Exec=vienreiz
Icon=lv.vienreiz.app
Categories=Office;
Keywords=government;evidence;OOTS;wallet;
DESKTOP
tar -C build/pkg -cJf "build/vienreiz-linux-$arch.tar.xz" usr
echo "built build/vienreiz-linux-$arch.tar.xz"
