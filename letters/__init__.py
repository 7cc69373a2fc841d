"""PDF rendering of cancellation letters: `render(LetterData) -> bytes`.

Importing the package is cheap: reportlab and the fonts are loaded on the first render.
"""

from letters.model import EarlierCancellation, LetterData, PostalAddress, SpecialTermination, Statement
from letters.render import render

__all__ = ["render", "EarlierCancellation", "LetterData", "PostalAddress", "SpecialTermination", "Statement"]
