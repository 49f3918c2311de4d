"""Units as people type them ("personen", "potten"), read right after a number: "1 persoon".

Units are the owner's own words, so Babel's plural forms cannot cover them; the common ones
have their singular here, and any other unit is shown as typed.
"""

SINGULAR = {
    # Dutch
    "personen": "persoon", "mensen": "mens", "vrijwilligers": "vrijwilliger",
    "potten": "pot", "stuks": "stuk", "uren": "uur", "dagen": "dag", "dagdelen": "dagdeel",
    "avonden": "avond", "ochtenden": "ochtend", "middagen": "middag", "weken": "week",
    "maanden": "maand", "liters": "liter", "meters": "meter", "kilo's": "kilo", "zakken": "zak",
    "dozen": "doos", "planken": "plank", "tafels": "tafel", "stoelen": "stoel",
    "ladders": "ladder", "keren": "keer", "flessen": "fles", "rollen": "rol", "emmers": "emmer",
    "plantjes": "plantje", "planten": "plant", "bakken": "bak", "kratten": "krat",
    # English
    "people": "person", "persons": "person", "volunteers": "volunteer", "pieces": "piece",
    "hours": "hour", "days": "day", "times": "time", "evenings": "evening", "weeks": "week",
    "litres": "litre", "metres": "metre", "bags": "bag", "boxes": "box",
    "tables": "table", "chairs": "chair", "pots": "pot", "cans": "can",
}


def counted(unit: str, number: int) -> str:
    """The unit as it reads after ``number``: singular after 1 when it is a known plural."""
    if number != 1:
        return unit
    singular = SINGULAR.get(unit.strip().lower())
    if singular is None:
        return unit
    return singular.capitalize() if unit[:1].isupper() else singular
