#!/usr/bin/env sh
# Copies the front-end packages installed by npm into static/vendor/, where Django's
# static files finder picks them up. The precompiled GOV.UK and MOJ stylesheets point at
# /assets/...; they are rewritten to paths relative to each stylesheet so they work under
# STATIC_URL and with hashed file names in production.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/node_modules"
dest="$root/static/vendor"
for pkg in govuk-frontend @ministryofjustice/frontend htmx.org; do
  if [ ! -d "$src/$pkg" ]; then
    echo "build-assets: $src/$pkg is missing; run 'npm ci' first" >&2
    exit 1
  fi
done
rm -rf "$dest"
mkdir -p "$dest/govuk" "$dest/moj" "$dest/htmx"
cp -R "$src/govuk-frontend/dist/govuk/assets" "$dest/govuk/assets"
# Source map comments are dropped: the maps are not shipped, and hashed storage would
# otherwise fail looking for them.
strip_maps='s#//\# sourceMappingURL=.*$##; s#/\*\# sourceMappingURL=[^*]*\*/##'
sed "$strip_maps" "$src/govuk-frontend/dist/govuk/govuk-frontend.min.js" > "$dest/govuk/govuk-frontend.min.js"
sed "$strip_maps; s#url(/assets/#url(assets/#g" "$src/govuk-frontend/dist/govuk/govuk-frontend.min.css" \
  > "$dest/govuk/govuk-frontend.min.css"
cp -R "$src/@ministryofjustice/frontend/moj/assets" "$dest/moj/assets"
sed "$strip_maps" "$src/@ministryofjustice/frontend/moj/moj-frontend.min.js" > "$dest/moj/moj-frontend.min.js"
sed "$strip_maps; s#url(/assets/#url(assets/#g" "$src/@ministryofjustice/frontend/moj/moj-frontend.min.css" \
  > "$dest/moj/moj-frontend.min.css"
cp "$src/htmx.org/dist/htmx.min.js" "$dest/htmx/"
echo "build-assets: GOV.UK Frontend, MOJ Frontend and htmx copied to static/vendor/"
