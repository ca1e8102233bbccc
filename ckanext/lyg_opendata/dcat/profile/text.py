"""The language of every literal: this portal's text is Chinese (@zh); a harvested copy
keeps the tags its source gave, and on parsing the best language for this portal is chosen
(BCP 47, ``dcat/languages.py``) with the others kept in ``translations``."""
from __future__ import annotations

import json
from typing import Any

from rdflib import Literal
from rdflib.namespace import RDF

from ckanext.dcat.profiles.base import DCT, FOAF

from ckanext.lyg_opendata.dcat import languages
from ckanext.lyg_opendata.dcat import mapping as m
from ckanext.lyg_opendata.dcat.profile.fields import LANG, TRANSLATIONS, as_dict, extra


class Text:
    """Language tags of literals, both ways (a mixin of ``LygOpendataProfile``)."""

    # --- CKAN → RDF ------------------------------------------------------------------

    def _tag_zh(self, subject, predicates) -> None:
        """Untagged literals of this portal's content are Chinese."""
        for predicate in predicates:
            for obj in list(self.g.objects(subject, predicate)):
                if isinstance(obj, Literal) and obj.language is None and obj.datatype is None:
                    self.g.remove((subject, predicate, obj))
                    self.g.add((subject, predicate, Literal(str(obj), lang=LANG)))

    def _tag_languages(self, dataset_dict, dataset_ref) -> None:
        """Each title and description with its true language: this portal's own text @zh;
        a harvested copy's text with the tag it came with, and its other languages beside."""
        translations = as_dict(extra(dataset_dict, TRANSLATIONS))
        chosen = translations.get("lang") or {}
        for key, predicate in (("title", DCT.title), ("notes", DCT.description)):
            value = dataset_dict.get(key)
            texts = translations.get(key) or {}
            tag = chosen.get(key)
            if not value or tag is None or texts.get(tag) != value:
                self._tag_zh(dataset_ref, (predicate,))   # written (or edited) here
                tag = LANG
            else:
                self.g.remove((dataset_ref, predicate, None))
                self.g.add((dataset_ref, predicate, Literal(value, lang=tag or None)))
            for other, text in texts.items():
                if other != tag and text and other:
                    self.g.add((dataset_ref, predicate, Literal(text, lang=other)))

    def _add_language(self, subject) -> None:
        self.g.add((subject, DCT.language, m.LANGUAGE.ZHO))
        self.g.add((m.LANGUAGE.ZHO, RDF.type, DCT.LinguisticSystem))

    def _tag_publisher_zh(self, dataset_ref) -> None:
        for publisher in self.g.objects(dataset_ref, DCT.publisher):
            self._tag_zh(publisher, (FOAF.name,))

    # --- RDF → CKAN ------------------------------------------------------------------

    def _object_value(self, subject, predicate, multilingual=False):
        """Literals in the best language for this portal (BCP 47, ``languages.py``), not
        the first one found."""
        if not multilingual:
            objects = list(self.g.objects(subject, predicate))
            if objects and all(isinstance(o, Literal) for o in objects):
                return str(objects[languages.best([o.language for o in objects])])
        return super()._object_value(subject, predicate, multilingual=multilingual)

    def _parse_languages(self, dataset_dict, dataset_ref) -> None:
        """Title and description in the best language; the others kept in
        ``translations`` (exported again with their own tags)."""
        translations: dict[str, Any] = {"lang": {}}
        keep = False
        for key, predicate in (("title", DCT.title), ("notes", DCT.description)):
            literals = [o for o in self.g.objects(dataset_ref, predicate) if isinstance(o, Literal)]
            if not literals:
                continue
            chosen = literals[languages.best([o.language for o in literals])]
            dataset_dict[key] = str(chosen)
            translations[key] = {(o.language or ""): str(o) for o in literals}
            translations["lang"][key] = chosen.language or ""
            if len(translations[key]) > 1 or not languages.is_chinese(chosen.language):
                keep = True
        if keep:
            dataset_dict.setdefault("extras", []).append(
                {"key": TRANSLATIONS, "value": json.dumps(translations, ensure_ascii=False)})
