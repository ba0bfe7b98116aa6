"""The production settings for the drill's processes, with two changes and nothing else.

- The per-unit input rate limits (tested in the suite, tests/inputs) would refuse 50 simulated
  colleagues of one unit posting every few seconds as a flood; the drill measures faults, not
  the flood guard, so it lifts them.
- A killed worker's job is picked up again after WORKER_STALE_SECONDS without a heartbeat; the
  drill waits 10 seconds, not the default minute, to fit in its three minutes.
"""

from trepart.settings import *  # noqa: F403

INPUT_USER_RATES = [(1_000_000, 60)]
INPUT_LINK_UNSOLVED_RATES = [(1_000_000, 60)]
WORKER_STALE_SECONDS = 10
