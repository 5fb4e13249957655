"""Browser tests: Playwright driving Debian's Chromium against the served app (marker: browser)."""
