"""Which region of the world a member state belongs to: the continents of UN M49.

The grouping comes from the Unicode CLDR's territory containment, read through ICU (the
reference implementation of CLDR): Babel ships CLDR's names of regions but not which
territory lies in which, and a table written by hand would drift from the UN's. The
regions' names, like the member states', come from CLDR through Babel, in every language.
"""

from __future__ import annotations

from functools import cache

import icu

# UN M49 codes of the five continents, in the order the UN lists them.
AFRICA, AMERICAS, ASIA, EUROPE, OCEANIA = "002", "019", "142", "150", "009"
CONTINENTS = (AFRICA, AMERICAS, ASIA, EUROPE, OCEANIA)


@cache
def continent(member_state: str) -> str | None:
    """The UN M49 code of a member state's continent (KE → 002, Africa), or None for a
    code that CLDR does not place on one."""
    try:
        region = icu.Region.getInstance(member_state)
        containing = region.getContainingRegion(icu.URegionType.CONTINENT)
    except icu.ICUError:
        return None
    code = containing.getRegionCode() if containing is not None else None
    return code if code in CONTINENTS else None
