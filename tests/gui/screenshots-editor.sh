#!/bin/sh
# Writes the profile editor's screenshots: screenshots-editor.sh TEST-APPLET-EDITOR DOCS-DIR
# (docs/applet-editor-psk.png, -cert.png, -advanced.png, -routing.png, applet-profiles.png)
set -eu
xvfb-run -a -s '-screen 0 1280x1024x24' "$1" --screenshot "$2"
