"""How to send a cancellation so that its receipt can be proven (LEGAL.md, "Form and proof")."""

from __future__ import annotations

from typing import Optional, Tuple


def sending_advice(
    provider_has_button: Optional[bool],
    accepts_fax: bool,
    accepts_email: bool,
    concluded_after_2016: Optional[bool],
) -> Tuple[str, ...]:
    """A few German sentences on how to send the letter, strongest proof first.

    `concluded_after_2016`: contract concluded after 30.09.2016 (§ 309 Nr. 13 BGB, Art. 229 § 37
    EGBGB); None when unknown. `provider_has_button`: None when unknown.
    """
    advice = []
    if concluded_after_2016 is True:
        advice.append(
            "Für Ihren Vertrag genügt in der Regel die Textform (§ 309 Nr. 13 BGB): Brief, Fax oder "
            "E-Mail sind wirksam, auch wenn der Anbieter etwas anderes verlangt. Entscheidend ist, dass "
            "Sie den Zugang beweisen können."
        )
    elif concluded_after_2016 is False:
        advice.append(
            "Bei Verträgen, die vor Oktober 2016 geschlossen wurden, kann eine unterschriebene Kündigung "
            "wirksam vereinbart sein. Schicken Sie deshalb einen eigenhändig unterschriebenen Brief."
        )
    else:
        advice.append(
            "Wurde Ihr Vertrag nach dem 30.09.2016 geschlossen, genügt in der Regel die Textform "
            "(§ 309 Nr. 13 BGB), also auch Fax oder E-Mail. Bei älteren Verträgen schicken Sie "
            "vorsorglich einen eigenhändig unterschriebenen Brief."
        )
    advice.append(
        "Am besten beweisbar ist im Alltag ein Einwurf-Einschreiben. Bewahren Sie den Einlieferungsbeleg "
        "und eine Kopie des unterschriebenen Briefs auf und fordern Sie bei der Deutschen Post den "
        "Auslieferungsbeleg an – das geht nur innerhalb von 15 Monaten nach dem Versand; der "
        "Sendungsstatus allein reicht als Nachweis nicht."
    )
    if provider_has_button is True:
        advice.append(
            "Ihr Anbieter hat einen Kündigungsbutton („Verträge hier kündigen“, § 312k BGB). Sie können "
            "zusätzlich dort kündigen: Speichern Sie die Bestätigungsseite mit Datum und Uhrzeit; der "
            "Anbieter muss Ihnen den Eingang sofort in Textform bestätigen."
        )
    elif provider_has_button is None:
        advice.append(
            "Kann man den Vertrag auf der Website des Anbieters abschließen, muss er auch einen "
            "Kündigungsbutton ohne Login anbieten (§ 312k BGB). Nutzen Sie ihn zusätzlich, wenn es ihn "
            "gibt, und speichern Sie die Bestätigungsseite."
        )
    if accepts_fax:
        advice.append(
            "Schicken Sie den Brief zusätzlich per Fax und heben Sie den Sendebericht mit „OK“-Vermerk auf; "
            "er ist ein Indiz für den Zugang."
        )
    if accepts_email:
        advice.append(
            "Eine E-Mail ist schnell, ihr Zugang lässt sich aber kaum beweisen: Nutzen Sie sie nur zusätzlich."
        )
    advice.append(
        "Einen Anruf zur „Vormerkung“ oder „Bestätigung“ brauchen Sie nicht: Die Kündigung wirkt, sobald "
        "das Schreiben beim Anbieter eingeht. Solche Anrufe dienen meist der Kundenrückgewinnung."
    )
    return tuple(advice)
