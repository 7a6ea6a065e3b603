"""Which distractor companies to leave out of an evaluation: only the registered vendors themselves.

The distractors (~13,000 real company names) are registered beside the labelled set's vendors so that
a matcher firing on short names inside longer ones, or on ordinary words, loses precision. A
distractor is left out only when it is the same company as a registered vendor: one of its names has
the organisation key of one of the vendor's names or aliases ('Okta, Inc.' beside 'Okta Inc.',
アサヒグループホールディングス beside アサヒグループ, an English name equal to an alias). A sibling or a
different company whose name contains a vendor's (Jack In The Box Inc. beside Box, トヨタ紡織 beside
トヨタ自動車, ＬＩＮＥ株式会社 beside LINEヤフー) stays: a report about it that alerts the vendor is a
false positive a user would see.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..matching.vendors import Vendor
from ..normalize import organisation_key


def same_company(vendor_names: Sequence[str], distractor: Vendor, keys: set[str] | None = None) -> bool:
    """Whether the distractor is the same company as the vendor with these names and aliases."""
    keys = keys if keys is not None else {k for k in map(organisation_key, vendor_names) if k}
    return any(organisation_key(n) in keys for n in (distractor.name, *distractor.aliases))


def without_registered_companies(vendors: Sequence[Vendor], distractors: Sequence[Vendor]) -> list[Vendor]:
    """The distractors that are not one of the registered vendors (a real register holds each once).

    A company left out lends its other names to the test: EDINET lists トヨタ自動車株式会社 with its
    English name TOYOTA MOTOR CORPORATION, so the US listing 'Toyota Motor Corporation' is the same
    company as a vendor registered as トヨタ自動車 | Toyota, and is left out too."""
    keys = {k for v in vendors for k in map(organisation_key, (v.name, *v.aliases)) if k}
    kept = list(distractors)
    while True:
        same = [d for d in kept if same_company((), d, keys)]
        if not same:
            return kept
        keys |= {k for d in same for k in map(organisation_key, (d.name, *d.aliases)) if k}
        kept = [d for d in kept if not same_company((), d, keys)]
