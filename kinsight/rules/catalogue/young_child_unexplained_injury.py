from __future__ import annotations

from kinsight.rules.context import ChildContext
from kinsight.rules.injuries import (
    Injury,
    InjuryRule,
    under_months,
)


class YoungChildUnexplainedInjury(InjuryRule):
    """A young child has a fracture, a head injury or an injury nobody has explained.

    Raised for a fracture in a child under 18 months; a head injury, or an injury recorded as
    unexplained, in a child under 2; an injury recorded as unexplained in a child under 5. An
    injury is unexplained when its `injury` event says `explained: false`, or the note says so
    ("no explanation offered", "does not explain the injury"). An explained bruise on a walking
    toddler is not raised. Mentions of the injury on the same day are one alert, at the first
    record that qualifies.
    """

    id = "young_child_unexplained_injury"
    title = "Fracture, head injury or unexplained injury in a young child"
    severity = "urgent"
    guidance = (
        "NICE CG89 (suspect maltreatment when a fracture or injury has no suitable explanation); "
        "RCPCH Child Protection Evidence, Fractures (any fracture under 18 months should be "
        "assessed for abuse); RCR/SCoR, radiological investigation of suspected physical abuse "
        "(2017, revised 2018); Kirklees serious case review (fractures in twin babies)"
    )
    consider = (
        "Consider a paediatric assessment, whether a skeletal survey is needed, the brothers, "
        "sisters and any twin in the household, and a multi-agency discussion."
    )
    defaults = {
        "fracture_under_months": 18,
        "head_injury_under_months": 24,
        "unexplained_under_months": 60,
    }

    def why(self, child: ChildContext, injury: Injury) -> str | None:
        moment = injury.fact.occurred_at

        def under(setting: str) -> bool:
            return under_months(child, moment, int(self.setting(setting)))

        unexplained = injury.explained is False
        if "fracture" in injury.kinds and under("fracture_under_months"):
            months = self.setting("fracture_under_months")
            return f"a fracture in a child under {months} months" + (
                ", with no explanation that accounts for it" if unexplained else ""
            )
        if "head_injury" in injury.kinds and under("head_injury_under_months"):
            return f"a head injury in a child under {self._years('head_injury_under_months')}"
        if unexplained and under("unexplained_under_months"):
            return "the injury is recorded as unexplained"
        return None

    def _years(self, setting: str) -> str:
        months = int(self.setting(setting))
        return f"{months // 12}" if months % 12 == 0 else f"{months} months"
