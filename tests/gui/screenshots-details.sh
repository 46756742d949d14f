#!/bin/sh
# Writes docs/applet-details.png: screenshots-details.sh TEST-APPLET-DETAILS OUTPUT.png
# (the details window of a connection with the lab's values, from the test's own stand-in)
set -eu
test=$1 out=$2
xvfb-run -a -s '-screen 0 1280x1024x24' "$test" -p /applet/details/lab-values --screenshot "$out"
