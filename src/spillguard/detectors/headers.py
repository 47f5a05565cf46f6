"""Column-header vocabulary: what a header says a column holds.

Why: in a spreadsheet the header is the strongest signal there is. "A#", "DOB_yyyy",
"Nacionalidad", "lastName" tell the column engine what the values are before any value is read,
and they let it label columns whose values no pattern can recognise (facility, case status).

`classify_header` normalises the header (case, accents, punctuation, underscores, camelCase) and
matches it against phrases in English, Spanish, French and Portuguese. Generic words are guarded:
"Facility Name", "File name" and "Company name" are not people's names, "Country" alone is only a
weak hint of nationality (it may be a place), and "Date" or "Number" alone mean nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache


@dataclass(frozen=True, slots=True)
class HeaderHint:
    """One reading of a header: the entity it names, how sure (0-1), and the phrase matched."""

    entity: str
    weight: float
    keyword: str


@dataclass(frozen=True, slots=True)
class _Rule:
    entity: str
    weight: float
    keyword: str
    phrases: tuple[str, ...]
    #: words that, anywhere in the header, stop this rule ("facility" for "name")
    blockers: frozenset[str] = frozenset()
    #: report the phrase matched ("release reason") rather than the rule's keyword
    echo: bool = False


def _rule(entity: str, weight: float, keyword: str, phrases: str, blockers: str = "") -> _Rule:
    return _Rule(
        entity,
        weight,
        keyword,
        tuple(p.strip() for p in phrases.split("|") if p.strip()),
        frozenset(blockers.split()),
        echo=entity in _ECHO,
    )


_ECHO = frozenset({"CASE_DETAIL", "DETENTION_FACILITY", "HEALTH", "CRIMINAL_RECORD"})


#: words that make "name"/"nombre"/"nom" the name of a thing, not of a person
_THING = (
    "facility facilities file filename sheet tab worksheet workbook company business organization "
    "organisation org agency employer product item brand vendor supplier project program "
    "programme course event team group department dept office center centre school hospital "
    "institution street road city town county state country province region district place "
    "location site field column table database db host hostname server domain device app "
    "application service plan policy bank branch station port airport aor jail prison unit "
    "variable metric category type class tag label key module function method drug medication "
    "disease instalacion empresa archivo hoja ciudad estado pais producto centro oficina "
    "municipio provincia fichier entreprise pays ville arquivo cidade"
)
_NOT_PERSON_NAME = _THING + " user login display screen"

_RULES: tuple[_Rule, ...] = (
    # --- PERSON -----------------------------------------------------------------------------
    _rule("PERSON", 1.0, "full name",
          "full name|complete name|legal name|name of detainee|detainee name|person name|"
          "persons name|individual name|subject name|client name|applicant name|patient name|"
          "employee name|staff name|officer name|student name|member name|customer name|"
          "beneficiary name|petitioner name|respondent name|alien name|inmate name|victim name|"
          "witness name|parent name|guardian name|spouse name|mother name|father name|"
          "child name|minor name|contact name|nombre completo|nombre y apellidos|"
          "nombre del detenido|nom complet|nome completo|last name first name|"
          "surname forename|apellidos y nombre|apellidos y nombres|last first|first last|"
          "surname first name|last name and first name|first and last name"),
    _rule("PERSON", 0.95, "given name",
          "first name|firstname|fname|first nm|given name|given names|forename|forenames|"
          "christian name|primer nombre|nombre de pila|nombres de pila|prenom|prenoms|"
          "primeiro nome|nome proprio|1st name"),
    _rule("PERSON", 0.95, "last name",
          "last name|lastname|lname|last nm|surname|surnames|family name|apellido|apellidos|"
          "primer apellido|segundo apellido|apellido paterno|apellido materno|nom de famille|"
          "sobrenome|apelido|maiden name"),
    _rule("PERSON", 0.9, "middle name", "middle name|middle names|middle initial|segundo nombre"),
    _rule("PERSON", 0.85, "initials", "initials|initial|inits|forename initials|iniciales"),
    _rule("PERSON", 0.85, "name", "name|names|nombre|nombres|nome|nomes|nom",
          _NOT_PERSON_NAME),
    _rule("PERSON", 0.8, "alias", "alias|aliases|aka|also known as|alias name|apodo"),
    _rule("PERSON", 0.7, "contact person",
          "contact person|point of contact|poc|next of kin|emergency contact|persona de contacto"),
    # a role names who the row is about; the values must still look like names
    _rule("PERSON", 0.6, "person",
          "resident|residents|client|customer|patient|tenant|member|student|pupil|claimant|"
          "complainant|offender|suspect|defendant|applicant|employee|staff member|officer|"
          "detainee|inmate|victim|witness|contact|passenger|driver|occupant|recipient|"
          "requester|requestor|participant|volunteer|victim witness|victim or witness|"
          "solicitante|cliente|paciente|inquilino|residente|empleado|detenido|victima|testigo|"
          "contacto|demandante|demandado"),
    _rule("PERSON", 0.5, "author", "author|signed by|prepared by|submitted by|owner",
          _THING),
    _rule("PERSON", 0.35, "username", "username|user name|user id|userid|login|screen name|"
          "display name|handle|usuario|nombre de usuario"),
    # --- DATE_OF_BIRTH ----------------------------------------------------------------------
    _rule("DATE_OF_BIRTH", 1.0, "date of birth",
          "dob|d o b|date of birth|birth date|birthdate|birthday|date born|fecha de nacimiento|"
          "fecha nacimiento|fecha nac|f nac|fec nac|fnac|fechanac|date de naissance|"
          "date naissance|data de nascimento|data nascimento|dt nasc|dt nascimento|ddn"),
    _rule("DATE_OF_BIRTH", 0.8, "year of birth",
          "year of birth|birth year|yob|ano de nacimiento|ano nacimiento|annee de naissance"),
    _rule("DATE_OF_BIRTH", 0.7, "birth", "birth|born|nacimiento|naissance|nascimento",
          "country place city state lugar pais ciudad pays lieu ville local cidade nation "
          "certificate"),
    # --- AGE / GENDER -----------------------------------------------------------------------
    _rule("AGE", 0.9, "age", "age|ages|age at|current age|edad|edades|idade|age years|"
          "age in years|age group|rango de edad"),
    _rule("GENDER", 0.9, "gender", "gender|sex|sexo|genero|sexe|genre|gender identity"),
    # --- NATIONALITY ------------------------------------------------------------------------
    _rule("NATIONALITY", 1.0, "nationality",
          "nationality|nationalities|citizenship|country of citizenship|citizenship country|"
          "country of nationality|nacionalidad|nacionalidades|ciudadania|pais de ciudadania|"
          "pais de nacionalidad|nationalite|citoyennete|nacionalidade|cidadania"),
    _rule("NATIONALITY", 0.9, "country of birth",
          "country of birth|birth country|birthplace country|pais de nacimiento|"
          "pays de naissance|pais de nascimento|country born"),
    _rule("NATIONALITY", 0.85, "country of origin",
          "country of origin|origin country|pais de origen|pays d origine|pais de origem"),
    _rule("NATIONALITY", 0.85, "citizenship", "citizen|citz|citiz|ctz|citizenshp|citzn"),
    _rule("NATIONALITY", 0.7, "nationality (abbreviated)", "nat|nac|nacion"),
    _rule("NATIONALITY", 0.6, "place of birth",
          "place of birth|birthplace|birth place|lugar de nacimiento|lieu de naissance|"
          "local de nascimento|pob"),
    _rule("NATIONALITY", 0.4, "country", "country|pais|pays|countries", "code phone dial"),
    # --- government identifiers -------------------------------------------------------------
    _rule("A_NUMBER", 1.0, "A-number",
          "a number|a #|a no|a num|anumber|anum|a file|a file number|alien number|alien no|"
          "alien #|alien num|alien registration number|alien registration no|alien reg|"
          "alien registration|alien file number|alien id|uscis number|uscis no|uscis #|"
          "numero a|numero de extranjero|numero de registro de extranjero|a nbr"),
    _rule("US_SSN", 1.0, "social security number",
          "ssn|ss #|ss no|ss num|social security|social security number|social security no|"
          "soc sec|soc sec no|soc sec #|numero de seguro social|seguro social"),
    _rule("US_ITIN", 1.0, "ITIN", "itin|individual taxpayer identification number"),
    _rule("PASSPORT_NUMBER", 1.0, "passport number",
          "passport|passport number|passport no|passport #|passport num|pasaporte|"
          "numero de pasaporte|no de pasaporte|passeport|numero de passeport|passaporte|"
          "ppt no"),
    _rule("I94_NUMBER", 1.0, "I-94 number",
          "i 94|i94|i 94 number|i94 number|i 94 no|arrival departure record|"
          "arrival departure number"),
    _rule("I94_NUMBER", 0.8, "admission number", "admission number|admission no|admission #"),
    _rule("USCIS_RECEIPT", 1.0, "receipt number",
          "receipt number|receipt no|receipt #|receipt num|uscis receipt|case receipt|"
          "receipt nbr|numero de recibo"),
    _rule("USCIS_RECEIPT", 0.6, "receipt", "receipt|recibo"),
    _rule("NATIONAL_ID", 0.9, "national ID",
          "national id|national identity|national identification|national id number|"
          "identification number|id number|id no|id #|id card|identity card|identity number|"
          "cedula|cedula de identidad|dni|curp|dui|documento de identidad|"
          "numero de identificacion|numero de identidad|carte d identite|cpf|rg|aadhaar|pesel|"
          "nin|nid|personal id|personal number|government id|state id|driver license|"
          "drivers license|driving licence|licencia de conducir|tax id|nif|nie|rfc|rut"),
    _rule("NATIONAL_ID", 0.7, "document number",
          "document number|document no|doc no|numero de documento|no de documento|"
          "travel document|documento"),
    # --- contact ----------------------------------------------------------------------------
    _rule("EMAIL_ADDRESS", 1.0, "email",
          "email|e mail|email address|e mail address|emailaddress|correo|correo electronico|"
          "courriel|adresse electronique|adresse mail|mail address"),
    _rule("EMAIL_ADDRESS", 0.6, "mail", "mail", "mailing postal street home"),
    _rule("PHONE_NUMBER", 1.0, "phone",
          "phone|phone number|phone no|phone #|telephone|telephone number|tel|tel no|tel #|"
          "mobile|mobile number|cellphone|cell phone|cell number|telefono|numero de telefono|"
          "celular|movil|tlf|telf|whatsapp|contact number|portable|telemovel|phonenumber"),
    _rule("PHONE_NUMBER", 0.6, "fax or cell", "fax|cell|cel"),
    _rule("STREET_ADDRESS", 0.95, "address",
          "address|street address|home address|mailing address|residential address|"
          "residence address|physical address|street|address line|address 1|address 2|"
          "domicilio|direccion|direccion de domicilio|calle|adresse|endereco|morada|"
          "house number|apartment|apt|zip|zip code|zipcode|postal code|postcode|post code|"
          "codigo postal|code postal|cep|current address|last known address",
          "email mail ip mac web url internet e"),
    _rule("STREET_ADDRESS", 0.6, "city of residence",
          "city of residence|place of residence|residence|lugar de residencia|residencia|"
          "ciudad de residencia"),
    # --- detention and case -----------------------------------------------------------------
    _rule("DETENTION_FACILITY", 1.0, "detention facility",
          "detention facility|detention center|detention centre|facility name|"
          "detention location|current facility|housing facility|facility|facilities|"
          "centro de detencion|lugar de detencion|centre de detention|book in facility|"
          "detention site|holding facility|instalacion|estacion migratoria"),
    _rule("DETENTION_FACILITY", 0.8, "jail or AOR",
          "jail|prison|aor|area of responsibility|housing unit|field office|detained at|"
          "carcel|prision"),
    _rule("CASE_DETAIL", 1.0, "case status",
          "case status|custody status|case number|case no|case #|case id|case nbr|disposition|"
          "criminality|release reason|reason for release|removal|removal status|removal date|"
          "deportation|deportation date|asylum|asylum status|immigration status|legal status|"
          "visa status|credible fear|fear determination|final order|order of removal|"
          "estado del caso|numero de caso|situacion migratoria|estatus migratorio|"
          "estado migratorio|book in date|book out date|bookin|bookout|apprehension date|"
          "arrest date|detention date|release date|hearing date|court date|bond amount|"
          "bond|parole|tps|daca|entry status|classification level|threat level|"
          "apprehension method|arresting agency|charge|charges|custody|statut migratoire"),
    _rule("CASE_DETAIL", 0.6, "status", "visa type|visa|case|caso", "receipt"),
    # --- technical and financial ------------------------------------------------------------
    _rule("IP_ADDRESS", 1.0, "IP address",
          "ip|ip address|ipaddress|ip addr|ipv4|ipv6|client ip|source ip|remote addr|"
          "remote address|src ip|dst ip|direccion ip|adresse ip"),
    _rule("CREDIT_CARD", 1.0, "card number",
          "credit card|credit card number|card number|card no|cc number|cc no|ccn|"
          "debit card|tarjeta de credito|numero de tarjeta|tarjeta|carte bancaire|"
          "numero de carte|cartao de credito"),
    _rule("CREDIT_CARD", 0.5, "PAN", "pan"),
    _rule("IBAN", 1.0, "IBAN", "iban|iban number|international bank account number"),
    _rule("IBAN", 0.6, "bank account",
          "bank account|account number|account no|bank account number|cuenta bancaria|"
          "numero de cuenta|clabe|compte bancaire|rib|conta bancaria"),
    # --- sensitive attributes ---------------------------------------------------------------
    _rule("HEALTH", 1.0, "medical",
          "medical|medical condition|medical conditions|medical history|diagnosis|diagnoses|"
          "health|health condition|mental health|disease|illness|medication|medications|"
          "prescription|disability|disabilities|pregnant|pregnancy|hiv|covid|allergies|"
          "allergy|vaccination|vaccine|condicion medica|diagnostico|salud|enfermedad|"
          "medicamento|medicamentos|discapacidad|embarazada|embarazo|sante|maladie|"
          "medical alert|medical needs|hunger strike"),
    _rule("ETHNICITY", 1.0, "ethnicity",
          "ethnicity|ethnic origin|ethnic group|ethnic background|race|race ethnicity|"
          "raza|etnia|origen etnico|grupo etnico|origine ethnique|etnia raca|raca"),
    _rule("SEXUAL_ORIENTATION", 1.0, "sexual orientation",
          "sexual orientation|sexuality|orientacion sexual|orientation sexuelle|"
          "orientacao sexual"),
    _rule("CASE_DETAIL", 0.9, "housing need",
          "housing need|reason for housing need|housing need reason|reason for homelessness|"
          "homelessness reason|support needs|vulnerability|vulnerabilities|safeguarding"),
    _rule("RELIGION", 1.0, "religion",
          "religion|religious|religious affiliation|faith|denomination|creed|religiao|"
          "confession religieuse"),
    _rule("CRIMINAL_RECORD", 1.0, "criminal record",
          "conviction|convictions|convicted|criminal record|criminal history|criminal status|"
          "offence|offences|offense|offenses|crime|crimes|felony|misdemeanor|misdemeanour|"
          "criminal charge|criminal charges|arrest record|sentence|gang|gang affiliation|"
          "antecedentes penales|antecedentes|delito|delitos|condena|casier judiciaire|"
          "infraction|most serious conviction|msc"),
)  # fmt: skip

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^a-z0-9#]+")


def normalise_header(header: str) -> str:
    """Fold case, accents and punctuation: 'DOB_yyyy' -> 'dob yyyy', 'firstName' -> 'first name',

    'F. Nac.' -> 'f nac', 'A#' -> 'a #'.
    """
    text = _CAMEL.sub(" ", header)
    text = text.replace("°", "o").replace("º", "o").replace("№", "no")
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    text = text.replace("#", " # ").replace("'", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


def _phrase_hit(words: list[str], phrase: str) -> bool:
    """The phrase's words appear consecutively; two-word phrases also match run together."""
    target = phrase.split()
    n = len(target)
    for i in range(len(words) - n + 1):
        if words[i : i + n] == target:
            return True
    if n >= 2:
        compact = "".join(target)
        for i in range(len(words)):
            if words[i] == compact:
                return True
            if i + 1 < len(words) and words[i] + words[i + 1] == compact:
                return True
    return False


@cache
def _phrase_keys(phrase: str) -> tuple[str, str]:
    """(first word, words run together; '' for one-word phrases) of a vocabulary phrase."""
    target = phrase.split()
    return target[0], ("".join(target) if len(target) >= 2 else "")


@lru_cache(maxsize=4096)
def _classify(norm: str) -> tuple[HeaderHint, ...]:
    words = norm.split()
    if not words:
        return ()
    wordset = set(words)
    # a phrase can only hit when its first word, or its words run together, is in the header
    keys = wordset | {words[i] + words[i + 1] for i in range(len(words) - 1)}
    best: dict[str, HeaderHint] = {}
    for rule in _RULES:
        if rule.blockers & wordset:
            continue
        for phrase in rule.phrases:
            first, compact = _phrase_keys(phrase)
            if first not in wordset and compact not in keys:
                continue
            if _phrase_hit(words, phrase):
                weight = rule.weight
                current = best.get(rule.entity)
                if current is None or current.weight < weight:
                    keyword = phrase if rule.echo else rule.keyword
                    best[rule.entity] = HeaderHint(rule.entity, weight, keyword)
                break
    _resolve_conflicts(best, wordset)
    return tuple(sorted(best.values(), key=lambda h: (-h.weight, h.entity)))


def _resolve_conflicts(best: dict[str, HeaderHint], wordset: set[str]) -> None:
    """Where two readings compete, keep the one the header means.

    "F. Nac." is a birth date, not a nationality; "Email address" is not a street
    address; a PERSON hint that came from a generic word loses to a facility.
    """
    nat = best.get("NATIONALITY")
    dob = best.get("DATE_OF_BIRTH")
    if nat is not None and dob is not None:
        # "F. Nac." is a birth date; "Country of birth" never reaches here (blockers)
        if dob.weight >= nat.weight:
            best.pop("NATIONALITY")
        else:
            best.pop("DATE_OF_BIRTH")
    if "EMAIL_ADDRESS" in best or "IP_ADDRESS" in best:
        best.pop("STREET_ADDRESS", None)
    if "DETENTION_FACILITY" in best and best.get("PERSON", HeaderHint("", 0, "")).weight < 0.9:
        best.pop("PERSON", None)
    if "USCIS_RECEIPT" in best and best["USCIS_RECEIPT"].weight >= 1.0:
        best.pop("CASE_DETAIL", None)
    if "A_NUMBER" in best and "NATIONAL_ID" in best:
        best.pop("NATIONAL_ID", None)
    if "CRIMINAL_RECORD" in best and "CASE_DETAIL" in best and "charge" in wordset:
        best.pop("CASE_DETAIL", None)


#: a key path: identifier steps of 2+ characters joined by dots or slashes ("name.given")
_KEY_PATH = re.compile(
    r"^[A-Za-z_$@][\w\-$@]+(?:\[[^\]]*\])*(?:[./][A-Za-z_@][\w\-@]+(?:\[[^\]]*\])*)+$"
)
_PATH_SPLIT = re.compile(r"(?:\[[^\]]*\])*[./]|\[[^\]]*\]$")


def classify_header(header: str) -> list[HeaderHint]:
    """What a column header says its column holds, strongest reading first ([] if nothing).

    Key paths from JSON/XML ("person.name.given", "ids[0]") are read by their last step, then
    by the last step with its parent ("name.given" is a given name, "name.family" a surname).
    """
    if not header or len(header) > 200:
        return []
    return list(_classify_cached(header))


@lru_cache(maxsize=8192)
def _classify_cached(header: str) -> tuple[HeaderHint, ...]:
    # cached: the same headers and labels come back for every cell and every text part
    steps = [p for p in _PATH_SPLIT.split(header) if p] if _KEY_PATH.match(header) else []
    if len(steps) > 1:
        for candidate in (steps[-1], f"{steps[-1]} {steps[-2]}", f"{steps[-2]} {steps[-1]}"):
            hints = tuple(_classify(normalise_header(candidate)))
            if hints:
                return hints
    return tuple(_classify(normalise_header(header)))
