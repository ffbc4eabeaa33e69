#!/usr/bin/env bash
# Refreshes the vendored front-end files from npm, so that running Husly
# never needs Node. Versions are pinned here; bump them deliberately.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent \
  @digdir/designsystemet-css@1.22.0 htmx.org@2.0.11 uplot@1.6.32)
dest=internal/web/static/vendor
mkdir -p "$dest"
m="$work/node_modules"
cp "$m/@digdir/designsystemet-css/dist/src/index.css" "$dest/designsystemet.css"
cp "$m/@digdir/designsystemet-css/dist/theme/designsystemet.css" "$dest/designsystemet-theme.css"
cp "$m/@digdir/designsystemet-css/LICENSE" "$dest/LICENSE.designsystemet"
cp "$m/htmx.org/dist/htmx.min.js" "$dest/htmx.min.js"
cp "$m/htmx.org/LICENSE" "$dest/LICENSE.htmx"
# uPlot draws the unit leader's trend charts on a canvas; it sets styles
# through the DOM, which the strict CSP allows (no inline style attributes).
cp "$m/uplot/dist/uPlot.iife.min.js" "$dest/uplot.min.js"
cp "$m/uplot/dist/uPlot.min.css" "$dest/uplot.min.css"
cp "$m/uplot/LICENSE" "$dest/LICENSE.uplot"
echo "vendored into $dest"
