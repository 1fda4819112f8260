"""Word lists the name analyser uses: legal forms, generic business words, particles.

These are linguistic resources (how legal forms and trade words are spelled
in English, Russian, Ukrainian, Chinese and a few other languages), not facts
about any party. Keys are written as the ASCII tokens
:func:`redthread.screen.translit.to_ascii` produces (Cyrillic already
transliterated), or as Chinese characters for the Chinese tables.
"""

from __future__ import annotations

#: Legal-form spellings (ASCII token sequences) -> a cross-language class.
LEGAL_FORMS: dict[str, str] = {
    # limited liability
    "ltd": "limited", "limited": "limited", "co ltd": "limited", "co limited": "limited",
    "company limited": "limited", "company ltd": "limited", "llc": "limited", "l l c": "limited",
    "limited liability company": "limited", "ooo": "limited", "tov": "limited",
    "too": "limited", "pp": "limited", "chp": "limited", "ip": "limited",
    "obshchestvo s ogranichennoi otvetstvennostiu": "limited",
    "obshchestvo s ogranichennoy otvetstvennostyu": "limited",
    "tovarystvo z obmezhenoiu vidpovidalnistiu": "limited",
    "gmbh": "limited", "sarl": "limited", "s a r l": "limited", "srl": "limited", "s r l": "limited",
    "bv": "limited", "b v": "limited", "pte ltd": "limited", "pty ltd": "limited", "pte": "limited",
    "pty": "limited", "sdn bhd": "limited", "bhd": "limited", "kft": "limited", "sp z o o": "limited",
    "doo": "limited", "d o o": "limited", "ltda": "limited", "ug": "limited", "yk": "limited",
    "societatea cu raspundere limitata": "limited", "societate cu raspundere limitata": "limited",
    # joint-stock
    "jsc": "jsc", "ojsc": "jsc", "cjsc": "jsc", "pjsc": "jsc", "ao": "jsc", "zao": "jsc", "oao": "jsc",
    "pao": "jsc", "nao": "jsc", "at": "jsc", "pat": "jsc", "prat": "jsc",
    "joint stock company": "jsc", "public joint stock company": "jsc", "aktsionernoe obshchestvo": "jsc",
    "ag": "jsc", "sa": "jsc", "s a": "jsc", "spa": "jsc", "s p a": "jsc", "nv": "jsc", "n v": "jsc",
    "as": "jsc", "ab": "jsc", "oy": "jsc", "kk": "jsc",
    # corporations
    "inc": "corp", "incorporated": "corp", "corp": "corp", "corporation": "corp", "plc": "corp",
    "p l c": "corp",
    # free-zone establishments
    "fze": "fze", "fzco": "fze", "fzc": "fze", "fz llc": "fze", "fzllc": "fze",
    "dmcc": "fze",
    # non-profit organisations (Russian ANO / NKO)
    "ano": "nonprofit", "nko": "nonprofit", "avtonomnaya nekommercheskaya organizatsiya": "nonprofit",
    "autonomous non profit organization": "nonprofit", "autonomous nonprofit organization": "nonprofit",
    # partnerships
    "llp": "llp", "lp": "llp", "l l p": "llp", "partnership": "llp",
    # generic
    "co": "company", "company": "company", "cia": "company",
}

#: Chinese legal forms (longest first when stripped from the end of a name).
CHINESE_LEGAL_FORMS: dict[str, str] = {
    "股份有限公司": "jsc", "有限责任公司": "limited", "集团有限公司": "limited", "有限公司": "limited",
    "分公司": "company", "总公司": "company", "公司": "company", "商行": "company", "工作室": "company",
    "厂": "company",
}

#: Generic business words -> a canonical token (several languages, and Chinese).
GENERIC_WORDS: dict[str, str] = {
    "electronics": "electronics", "electronic": "electronics", "elektronika": "electronics",
    "elektronik": "electronics", "电子": "electronics",
    "technology": "technology", "technologies": "technology", "tech": "technology",
    "tekhnologii": "technology", "tekhnologiya": "technology", "科技": "technology", "技术": "technology",
    "trading": "trading", "trade": "trading", "torgovyi": "trading", "torgovyy": "trading",
    "torgovaya": "trading", "torgovyi dom": "trading", "贸易": "trading", "商贸": "trading",
    "industrial": "industry", "industry": "industry", "industries": "industry", "实业": "industry",
    "工业": "industry", "promyshlennaya": "industry", "promyshlennost": "industry",
    "international": "international", "intl": "international", "mezhdunarodnyi": "international",
    "国际": "international",
    "import": "impex", "export": "impex", "impex": "impex", "import export": "impex", "进出口": "impex",
    "group": "group", "gruppa": "group", "集团": "group",
    "holding": "holding", "holdings": "holding", "kholding": "holding", "控股": "holding",
    "aviation": "aviation", "aviatsiya": "aviation", "aero": "aviation", "航空": "aviation",
    "machinery": "machinery", "machine": "machinery", "mashinostroenie": "machinery", "机械": "machinery",
    "logistics": "logistics", "logistika": "logistics", "物流": "logistics",
    "equipment": "equipment", "oborudovanie": "equipment", "设备": "equipment",
    "manufacturing": "manufacturing", "proizvodstvo": "manufacturing", "制造": "manufacturing",
    "investment": "investment", "investments": "investment", "invest": "investment", "投资": "investment",
    "development": "development", "razvitie": "development", "发展": "development",
    "engineering": "engineering", "inzhiniring": "engineering", "工程": "engineering",
    "communication": "communication", "communications": "communication", "svyaz": "communication",
    "通信": "communication", "通讯": "communication",
    "energy": "energy", "energiya": "energy", "能源": "energy",
    "materials": "materials", "material": "materials", "材料": "materials",
    "precision": "precision", "精密": "precision",
    "intelligent": "intelligent", "smart": "intelligent", "智能": "intelligent",
    "optoelectronics": "optoelectronics", "optoelectronic": "optoelectronics", "光电": "optoelectronics",
    "software": "software", "软件": "software",
    "network": "network", "networks": "network", "网络": "network",
    "battery": "battery", "batteries": "battery", "电池": "battery",
    "power": "power", "动力": "power",
    "electric": "electric", "electrical": "electric", "电器": "electric", "电气": "electric",
    "chemical": "chemical", "chemicals": "chemical", "khimiya": "chemical", "化工": "chemical",
    "supply": "supply", "supply chain": "supply", "供应链": "supply",
    "services": "services", "service": "services", "servis": "services", "服务": "services",
    "enterprise": "enterprise", "enterprises": "enterprise", "predpriyatie": "enterprise",
    "企业": "enterprise",
    "commercial": "commercial", "kommercheskii": "commercial", "商业": "commercial",
    "shipping": "shipping", "navigation": "shipping", "marine": "shipping", "maritime": "shipping",
    "航运": "shipping", "海运": "shipping",
    "bank": "bank", "银行": "bank",
    "management": "management", "menedzhment": "management",
}

#: Chinese generic words, longest first, for stripping from the end of a name.
CHINESE_GENERIC = sorted((k for k in GENERIC_WORDS if not k.isascii()), key=len, reverse=True)
#: Chinese legal forms, longest first.
CHINESE_FORMS = sorted(CHINESE_LEGAL_FORMS, key=len, reverse=True)

#: Prefixes of vessel and other organisation names that do not identify.
ORG_PREFIXES = frozenset({"mv", "mt", "ss", "ms", "mfv", "fv"})

#: Words that carry no identity in any name.
STOPWORDS = frozenset({"the", "of", "and", "for", "de", "la", "le", "les", "des", "du", "del", "y", "et", "i", "im"})

#: Person-name particles and honorifics: kept, but weigh little.
PERSON_PARTICLES = frozenset({
    "al", "el", "ul", "bin", "ibn", "bint", "abu", "abd", "van", "von", "der", "den", "da", "di", "dos",
    "mc", "mac", "ben", "de", "la", "del", "le", "du", "das",
})
PERSON_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "sheikh", "shaykh", "shaikh", "haji", "hajji", "mullah",
    "maulana", "general", "gen", "colonel", "col", "captain", "capt", "major", "lt",
})
