"""DIN 5008:2020 form B geometry (window envelope DL / C5/6), in millimetres from the top-left corner.

Named after the standard's terms so the layout can be checked against it line by line.
"""

from __future__ import annotations

PAGE_WIDTH = 210.0  # A4
PAGE_HEIGHT = 297.0

# Letterhead zone ("Briefkopf"): everything above the address field; holds the sender block.
LETTERHEAD_HEIGHT = 45.0
SENDER_BLOCK_TOP = 12.0

# Address field ("Anschriftfeld"), form B.
ADDRESS_FIELD_LEFT = 20.0
ADDRESS_FIELD_TOP = 45.0
ADDRESS_FIELD_WIDTH = 85.0
ADDRESS_FIELD_HEIGHT = 45.0
# The text inside the field starts on the left margin line ("Fluchtlinie"), 5 mm in.
ADDRESS_FIELD_TEXT_INSET = 5.0
# "Zusatz- und Vermerkzone": return line plus postal notes such as "Einwurf-Einschreiben".
NOTE_ZONE_HEIGHT = 17.7
# "Anschriftzone": the recipient, at most 6 lines in 27.3 mm.
RECIPIENT_ZONE_HEIGHT = 27.3
RECIPIENT_ZONE_MAX_LINES = 6

# Information block ("Informationsblock"): reference and place/date, right of the address field.
INFO_BLOCK_LEFT = 125.0
INFO_BLOCK_TOP = 50.0
INFO_BLOCK_WIDTH = 75.0

# Margins ("Seitenränder").
LEFT_MARGIN = 25.0
RIGHT_MARGIN = 20.0
TEXT_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN  # 165 mm

# Subject ("Betreff"): two blank lines below the address field.
SUBJECT_TOP = ADDRESS_FIELD_TOP + ADDRESS_FIELD_HEIGHT + 8.46

# Folding and hole marks ("Falzmarken", "Lochmarke") on the left page edge.
FOLD_MARK_1 = 105.0
FOLD_MARK_2 = 210.0
HOLE_MARK = 148.5
FOLD_MARK_LENGTH = 5.0
HOLE_MARK_LENGTH = 8.0
MARK_LEFT = 4.0

# Pages after the first start without a letterhead.
CONTINUATION_TOP = 20.0
# Footer ("Fußzeile") with the reference; body text stops above it.
FOOTER_BASELINE = PAGE_HEIGHT - 10.0
BODY_BOTTOM = PAGE_HEIGHT - 18.0

MM_TO_PT = 72.0 / 25.4
