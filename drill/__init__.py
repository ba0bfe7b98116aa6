"""`make drill` (issue 15): load and fault drills against the real processes. See docs/drill.md."""
