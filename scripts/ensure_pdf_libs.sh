#!/usr/bin/env bash
# PDF export (WeasyPrint) needs Debian's pango. Install it when we can (root + apt-get);
# otherwise say so once: everything else works, and the PDF link answers with a clear message.
set -uo pipefail
if ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0"; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing pango for PDF export…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null && exit 0
fi
echo "Note: PDF export needs pango: 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0'." >&2
exit 0
