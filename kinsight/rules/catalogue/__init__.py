"""One module per rule of rules.md; importing this package registers them all."""

from kinsight.rules.catalogue import (  # noqa: F401
    neonatal_abstinence,
    non_mobile_infant_injury,
    referral_decision_overdue,
)
