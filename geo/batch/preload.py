"""Imported once by the fork server of batch's local process pool, before any worker forks from it.

Why a module: a fork server can only be told which modules to import. Importing this one loads
what every analysis needs (language rules, lexicons, taggers, route networks, the gazetteer) and
freezes it out of the garbage collector's reach, so that each worker forks already warm and shares
those pages with the others, copy-on-write, instead of loading a private copy (see docs/batch.md
for the memory this saves), and the workers collect their young garbage seldom
(:data:`geo.batch.tasks.YOUNG_COLLECTION_THRESHOLD`). It also ties the fork server's life to the
batch's, and each worker's to the fork server's (:mod:`geo.batch.lifeline`).
"""

import gc

from geo.batch.lifeline import children_die_with_this_process, die_with_parent
from geo.batch.tasks import YOUNG_COLLECTION_THRESHOLD
from geo.pipeline import warm_up
from geo.places.gazetteer import Gazetteer

die_with_parent()
children_die_with_this_process()
_gazetteer = Gazetteer.load()  # not the process-wide default: SQLite connections must not cross a fork
warm_up(_gazetteer)
_gazetteer.close()
del _gazetteer
gc.freeze()
gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
