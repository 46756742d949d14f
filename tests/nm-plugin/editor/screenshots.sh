#!/bin/sh
# Writes the editors' screenshots: screenshots.sh DOCS-DIR CORE-PLUGIN.so HOST-PROGRAM...
# (the host programs are tests/nm-plugin/editor/test-nm-editor-gtk3 and -gtk4)
set -eu
dir=$1 core=$2
shift 2
for host in "$@"; do
	gtk=${host##*-}
	xvfb-run -a -s '-screen 0 1280x1024x24' "$host" "$core" -p "/nm-plugin/editor/$gtk/fill" \
		--screenshot "$dir"
done
