"""Settings for the test suite: the production settings in test mode."""

import os

os.environ["KINSIGHT_ENV"] = "test"

from kinsight.settings import *  # noqa: E402, F403
