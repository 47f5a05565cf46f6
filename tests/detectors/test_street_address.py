"""street-address: house number, street name and type in many languages; PO and military boxes.

All addresses here are made up by hand; none comes from a generator's word lists.
"""

from __future__ import annotations

import pytest

from spillguard.assess import severity_of
from spillguard.detect import Hit
from spillguard.detectors.columns import street_address_score
from spillguard.detectors.patterns import StreetAddressDetector
from spillguard.model import Severity, Surface
from spillguard.policy import Policy
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = StreetAddressDetector()

MUST_FLAG: list[FlagRow] = [
    # US, USPS suffixes, units, city, state and ZIP
    (
        "Mail it to 417 Quillan Avenue, Dorsetville, OH 43017.",
        "",
        "417 Quillan Avenue, Dorsetville, OH 43017",
    ),
    ("9021 Harrowgate Brk Apt. 12", "", "9021 Harrowgate Brk Apt. 12"),
    ("She moved to 88 Tamsin Spur last year.", "", "88 Tamsin Spur"),
    (
        "615 Ostrander Locks Suite 508\nPelham Ridge, NV 89014",
        "",
        "615 Ostrander Locks Suite 508\nPelham Ridge, NV 89014",
    ),
    ("3 Wexcombe Coves", "", "3 Wexcombe Coves"),
    ("1200 N Calloway Mill Rd", "", "1200 N Calloway Mill Rd"),
    ("77 West Brindle Flats #4", "", "77 West Brindle Flats #4"),
    ("The office is at 250 5th Street.", "", "250 5th Street"),
    # UK: unit first, postcode
    ("Flat 58 Teresa Spur", "", "Flat 58 Teresa Spur"),
    (
        "Studio 7\nCallum Flats\nNew Pelworth\nKT9 4ZD",
        "",
        "Studio 7\nCallum Flats\nNew Pelworth\nKT9 4ZD",
    ),
    ("12 Ravelston Close, Edinburgh EH4 3LX", "", "12 Ravelston Close, Edinburgh EH4 3LX"),
    # line breaks written as backslash-n (a cell exported from a form)
    ("63 Corbin Mews\\nLower Hadley\\nSG7 1QP", "", "63 Corbin Mews\\nLower Hadley\\nSG7 1QP"),
    # PO boxes and military mail
    ("Write to P.O. Box 255, Tallow Creek, MT 59001", "", "P.O. Box 255, Tallow Creek, MT 59001"),
    ("PO Box 4410", "", "PO Box 4410"),
    ("PSC 8356, Box 1595\nAPO AP 16835", "", "PSC 8356, Box 1595\nAPO AP 16835"),
    ("Unit 9363 Box 8546 DPO AA 70447", "", "Unit 9363 Box 8546 DPO AA 70447"),
    ("USNS Marlowe\nFPO AE 09512", "", "USNS Marlowe\nFPO AE 09512"),
    ("Apartado de Correos 118", "", "Apartado de Correos 118"),
    # Spanish and Mexican
    ("Vive en Calle de la Cerería 14, 28012 Madrid", "", "Calle de la Cerería 14, 28012 Madrid"),
    ("Avenida Torreblanca 322 Piso 4", "", "Avenida Torreblanca 322 Piso 4"),
    ("Paseo de los Almendros, 7", "", "Paseo de los Almendros, 7"),
    ("Camino Viejo de Argalia 31", "", "Camino Viejo de Argalia 31"),
    ("Cerrada Olmedilla 45 Interior 3", "", "Cerrada Olmedilla 45 Interior 3"),
    ("Circuito Las Garzas 118", "", "Circuito Las Garzas 118"),
    ("Prolongación Huizache 902", "", "Prolongación Huizache 902"),
    ("Privada Tepozán 16", "", "Privada Tepozán 16"),
    ("Corredor Nopalera 5", "", "Corredor Nopalera 5"),
    ("Viaducto Tlalmena 77", "", "Viaducto Tlalmena 77"),
    ("Alameda de Ronquillo 3", "", "Alameda de Ronquillo 3"),
    ("Ronda de Sant Oleguer 19", "", "Ronda de Sant Oleguer 19"),
    ("Carrer de Vallcorba 41", "", "Carrer de Vallcorba 41"),
    # French
    ("29, rue des Tanneurs Vieux, 69002 Lyon", "", "29, rue des Tanneurs Vieux, 69002 Lyon"),
    ("14 boulevard Émile Fauret", "", "14 boulevard Émile Fauret"),
    ("Elle habite 3 avenue de Mirande.", "", "3 avenue de Mirande"),
    # Italian
    ("Via Pasquale Ardenti 127", "", "Via Pasquale Ardenti 127"),
    (
        "Viale Gorrini, 6 Piano 2\n20141, Milano (MI)",
        "",
        "Viale Gorrini, 6 Piano 2\n20141, Milano (MI)",
    ),
    ("Piazza Salvemini 9", "", "Piazza Salvemini 9"),
    ("Corso Ottaviani 210", "", "Corso Ottaviani 210"),
    # Portuguese
    ("Rua Doutor Alcindo Pereira, 120", "", "Rua Doutor Alcindo Pereira, 120"),
    ("Travessa do Mirante Alto 8", "", "Travessa do Mirante Alto 8"),
    ("Praça Jacinto Moura 55", "", "Praça Jacinto Moura 55"),
    # German and other compounds
    ("Kessler-Brandt-Straße 47", "", "Kessler-Brandt-Straße 47"),
    ("Anschrift: Lindenhainstrasse 3a, 80331 München", "", "Lindenhainstrasse 3a, 80331 München"),
    ("Ostermaiergasse 12/4", "", "Ostermaiergasse 12/4"),
    ("Am Kleefeldweg 9", "", "Kleefeldweg 9"),
    ("Berliner Allee 115", "", "Berliner Allee 115"),
    ("Quellenplatz 2", "", "Quellenplatz 2"),
    ("Jorvikstraat 69", "", "Jorvikstraat 69"),
    ("Holmebakkevej 46", "", "Holmebakkevej 46"),
    # Polish
    ("ul. Wierzbowa 15, 00-094 Warszawa", "", "ul. Wierzbowa 15, 00-094 Warszawa"),
    ("ulica Sosnowa 8", "", "ulica Sosnowa 8"),
    ("plac Grzybowskiego 3", "", "plac Grzybowskiego 3"),
    ("aleja Kasztanowa 40", "", "aleja Kasztanowa 40"),
    # Turkish
    ("Gülbahar Sokak No: 5", "", "Gülbahar Sokak No: 5"),
    ("Kızılırmak Caddesi No:18", "", "Kızılırmak Caddesi No:18"),
    # an address word lets a plain name and number count
    ("Address: Fjellbrekka 87", "", "Fjellbrekka 87"),
    ("Fjellbrekka 87", "Home address", "Fjellbrekka 87"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("Section 3 Road Traffic Act", ""),
    ("Chapter 11 Street Crimes", ""),
    ("See Article 5 Avenue Rules", ""),
    ("2 Main Street Capital plc announced results", ""),
    ("On 12 March Park officials said", ""),
    ("In 2019 Central Park was busy", ""),
    ("Sent via Royal Mail 2 days ago", ""),
    ("Version 3.11 Release Notes", ""),
    ("see page 12 Table Rock", ""),
    ("It cost $300 Main Street Bank fees", ""),
    ("Revenue grew 45% Year on Year", ""),
    ("The meeting on May 5, 2022 at 10:30", ""),
    ("Invoice 2023-04-17 total 1,250.00 EUR", ""),
    ("Call 212 555 0100 today", ""),
    ("Python 3 Course", ""),
    ("Calle 5 de Mayo", ""),  # no house number
    ("rue de la Paix", ""),
    ("Hauptstraße", ""),
    ("we use 3 place settings", ""),
    ("ul. 5", ""),
    ("Atatürk Caddesi", ""),
    ("He scored 3 Goals and 2 Assists", ""),
    ("Table 4 Park Attendance by Month", ""),
    ("About 40 St Mary pupils", ""),
    ("Box 5 of 12", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_flags(text: str, context: str, expected: str) -> None:
    m = assert_flags(DETECTOR, text, context, expected)
    assert 0.5 <= m.confidence <= 0.95


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_does_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


def test_context_word_raises_confidence() -> None:
    bare = assert_flags(DETECTOR, "417 Quillan Avenue", "", "417 Quillan Avenue")
    said = assert_flags(DETECTOR, "She lives at 417 Quillan Avenue", "", "417 Quillan Avenue")
    assert said.confidence > bare.confidence
    assert "context word" in said.explanation


def test_plain_name_and_number_need_an_address_word() -> None:
    assert_no_flag(DETECTOR, "Fjellbrekka 87", "")
    assert_no_flag(DETECTOR, "Windows 11 arrived", "")


def test_several_addresses_in_a_letter() -> None:
    text = (
        "Dear Ms Orla,\n\nYour file was sent from 14 Pennock Road, Hallam, ID 83201 to our office "
        "at Calle de Borja 6, 46001 Valencia. A copy went to P.O. Box 78.\n\nYours sincerely"
    )
    values = [m.value for m in DETECTOR.find(text)]
    assert values == [
        "14 Pennock Road, Hallam, ID 83201",
        "Calle de Borja 6, 46001 Valencia",
        "P.O. Box 78",
    ]


CELLS_YES = [
    "417 Quillan Avenue",
    "9021 Harrowgate Brk Apt. 12 Dorsetville, OH 43017",
    "Flat 3 Weyland Gardens Lower Hadley SG7 1QP",
    "Studio 7\nCallum Flats",
    "Unit 9363 Box 8546 DPO AA 70447",
    "Calle de la Cerería 14",
    "Ronda de Sant Oleguer 19 Puerta 3 Girona, 17001",
    "Cerrada Olmedilla 45 Interior 3 Nueva Tlalmena, JAL 44100",
    "14, boulevard Émile Fauret 13008 Marseille",
    "Contrada Belfiore, 77",
    "Viale Gorrini, 6 Piano 2 20141, Milano (MI)",
    "Rua Doutor Alcindo Pereira, 120 Vila Mariana 04117-040 São Paulo / SP",
    "Kessler-Brandt-Straße 47-2",
    "Lindenhainstrasse 3a 80331 München",
    "ul. Wierzbowa 15 00-094 Warszawa",
    "aleja Kasztanowa 40/2",
    "Gülbahar Sokak No: 5",
    "63 Corbin Mews\\nLower Hadley\\nSG7 1QP",
]

CELLS_NO = [
    "",
    "Alice Quillan",
    "Detained 2022-03-04",
    "Section 3 Road Traffic Act",
    "12,500",
    "Adelanto ICE Processing Center",
    "Calle de la Cerería",  # a street without a number is not an address of anyone
    "Report on 417 Quillan Avenue flooding, drafted by the city engineer for the council "
    "meeting of next spring, with costs and a timetable for the works and the consultation",
]


@pytest.mark.parametrize("cell", CELLS_YES)
def test_cell_is_an_address(cell: str) -> None:
    assert street_address_score(cell) == 1.0


@pytest.mark.parametrize("cell", CELLS_NO)
def test_cell_is_not_an_address(cell: str) -> None:
    assert street_address_score(cell) == 0.0


def _hit(surface: Surface, *, part: int = 0, in_records: bool = False) -> Hit:
    return Hit(
        entity="STREET_ADDRESS",
        surface=surface,
        where="line 2",
        member=None,
        count=1,
        sample="4** Q***** A*****",
        confidence=0.8,
        detector="street-address",
        explanation="street address",
        digest=0,
        part=part,
        in_records=in_records,
    )


def test_visible_address_in_text_is_info_hidden_one_is_not() -> None:
    policy = Policy()
    assert severity_of(_hit(Surface.VISIBLE), {}, policy) is Severity.INFO
    assert severity_of(_hit(Surface.COMMENT), {}, policy) is Severity.HIGH
    assert severity_of(_hit(Surface.VISIBLE, part=3), {}, policy) is Severity.LOW
