"""Articles in French and German, written for these tests (not taken from any publication)."""

from __future__ import annotations

FRENCH = (
    "Le port de Saint-Aubin rouvre ses quais\n\n"
    "Le conseil municipal de Saint-Aubin a voté mardi soir la réouverture des quais du vieux "
    "port, fermés depuis la tempête de l'hiver dernier. Les travaux de consolidation, qui ont "
    "duré huit mois, ont coûté près de deux millions d'euros.\n\n"
    "« Nous rendons le port aux pêcheurs et aux habitants », a déclaré la maire, Claire "
    "Dumont, devant une salle comble. Les pêcheurs, qui déchargeaient leurs prises dans le port "
    "voisin, pourront revenir dès le mois prochain.\n\n"
    "\u201cThe harbour is ours again,\u201d said Claire Dumont to a visiting English "
    "reporter, smiling.\n\n"
    "Une fête est prévue sur les quais le premier samedi de juin, avec un marché aux poissons "
    "et un concert de la fanfare municipale."
)
# The opening the summary of FRENCH is made of.
FRENCH_OPENING = "Le conseil municipal de Saint-Aubin a voté mardi soir la réouverture"

GERMAN = (
    "Neue Fähre verbindet die Inseln wieder\n\n"
    "Nach zwei Jahren Pause fährt ab Montag wieder eine Fähre zwischen den beiden "
    "Nordseeinseln. Die Gemeinde hat das neue Schiff gemeinsam mit dem Land gekauft, nachdem "
    "die alte Fähre wegen Rostschäden stillgelegt worden war.\n\n"
    "\u201eEndlich müssen die Kinder nicht mehr über das Festland zur Schule fahren\u201c, "
    "sagte Bürgermeister Jan Petersen bei der Taufe des Schiffes. Die Überfahrt dauert vierzig "
    "Minuten und kostet für Einwohner nur zwei Euro.\n\n"
    "Im Sommer sollen zusätzliche Fahrten für Touristen angeboten werden, auch am Abend und "
    "an den Wochenenden."
)
GERMAN_OPENING = "Nach zwei Jahren Pause fährt ab Montag wieder eine Fähre"

ENGLISH = (
    "Harbour quays reopen in Westmere\n\n"
    "The town council of Westmere voted on Tuesday to reopen the quays of the old harbour, "
    "closed since last winter's storm. The repairs took eight months and cost nearly two "
    "million pounds.\n\n"
    "\u201cWe are giving the harbour back to the fishermen and to everyone who lives here,\u201d "
    "said Mayor Ann Reed to a packed hall. Fishermen who had been landing their catch in the "
    "next port will be able to come back next month.\n\n"
    "A festival is planned on the quays on the first Saturday of June."
)
