from summaries.understand.quotes.persons import (
    _CENSUS_NAMES,
    _FEMALE_NAMES,
    _MALE_NAMES,
    PersonRegistry,
    given_name_gender,
    group_or_place,
    looks_like_person,
)


def test_registry_resolves_short_form_to_full_name_and_title() -> None:
    text = (
        "Deputy Trade Minister Olga Varenne met farmers on Friday.\n\n"
        "Varenne later left for the airport."
    )
    registry = PersonRegistry.from_text(text)
    assert registry.resolve("Varenne") == ("Olga Varenne", "Deputy Trade Minister")
    assert registry.resolve("Minister Varenne")[0] == "Olga Varenne"


def test_registry_guesses_gender_from_pronouns() -> None:
    registry = PersonRegistry.from_text(
        "Olga Varenne arrived late. She said her train was delayed.\n\n"
        "Tomas Reyes waited. He read his notes."
    )
    assert registry.gender("Varenne") == "f"
    assert registry.gender("Tomas Reyes") == "m"


def test_looks_like_person_rejects_organisations_and_capitalised_datelines() -> None:
    assert looks_like_person("Olga Varenne")
    assert not looks_like_person("Harbor City Council")
    assert not looks_like_person("PORT ALDER")


def test_registry_takes_gender_from_honorifics_and_given_names() -> None:
    reg = PersonRegistry.from_text(
        "Mrs. Vance met Mr. Oduya and Karen Holt. Vance and Oduya left together."
    )
    assert reg.gender("Vance") == "f"
    assert reg.gender("Oduya") == "m"
    assert reg.gender("Karen Holt") == "f"


def test_an_honorific_of_the_other_sex_names_a_relative_not_the_person() -> None:
    # "Mr Berg" beside Ida Berg is her father: she stays a woman, he is no "Ida Berg".
    reg = PersonRegistry.from_text(
        "Ida Berg died in March. Mr Berg, her father, sat in court. Tom Roe met Mrs Roe."
    )
    assert reg.gender("Ida Berg") == "f"
    assert reg.gender("Tom Roe") == "m"


def test_headline_verbs_do_not_look_like_a_person() -> None:
    assert not looks_like_person("Trends Are")
    assert looks_like_person("Karen Holt")


def test_registry_finds_the_person_last_named_with_a_title() -> None:
    reg = PersonRegistry.from_text("Sen. Ida Lund met Mayor Ola Berg. Later the senator spoke.")
    later = len("Sen. Ida Lund met Mayor Ola Berg. Later")
    assert reg.with_title("senator", later) == "Ida Lund"
    assert reg.with_title("mayor", later) == "Ola Berg"
    assert reg.with_title("governor", later) is None


def test_a_name_after_a_preposition_is_no_person_mention() -> None:
    text = "Ola Berg spoke. A road to Ola Berg was planned."
    reg = PersonRegistry.from_text(text)
    assert reg.mentions == [(0, "Ola Berg")]


def test_given_names_tell_gender_only_in_a_full_name() -> None:
    assert given_name_gender("Karen Holt") == "f"
    assert given_name_gender("Tom Reed") == "m"
    assert given_name_gender("Holt") is None


def test_given_names_of_public_life_and_abroad_tell_gender_but_names_of_both_do_not() -> None:
    assert given_name_gender("Jeb Oduya") == "m"
    assert given_name_gender("Reince Holt") == "m"
    assert given_name_gender("Carly Vance") == "f"
    assert given_name_gender("Kellyanne Berg") == "f"
    assert given_name_gender("Jan Holt") is None  # a man's or a woman's
    assert given_name_gender("Will Berg") is None  # also a word opening a sentence
    assert not _MALE_NAMES & _FEMALE_NAMES


def test_census_given_names_tell_gender_beside_the_hand_lists() -> None:
    assert given_name_gender("Clara Voss") == "f"
    assert given_name_gender("Hans Dorn") == "m"
    assert given_name_gender("Mabel Quist") == "f"
    assert given_name_gender("Clara") is None  # one word: no full name
    # Names of both genders, common words, months and places stay unknown.
    for name in ("Leslie Dorn", "Hope Dorn", "Grant Dorn", "June Dorn", "Dallas Dorn"):
        assert given_name_gender(name) is None, name
    assert all(g in ("m", "f") for g in _CENSUS_NAMES.values())
    clash = {n for n, g in _CENSUS_NAMES.items() if (n in _MALE_NAMES) != (g == "m")}
    assert not clash & (_MALE_NAMES | _FEMALE_NAMES)


def test_a_heading_that_names_a_group_never_takes_a_persons_surname() -> None:
    text = (
        "Team Berg Plans Ahead\n\nTeam Berg met on Monday. Team Berg voted.\n\n"
        "Tom Berg spoke first. Berg said the harbour would wait."
    )
    registry = PersonRegistry.from_text(text)
    person = registry.lookup("Berg")
    assert person is not None and person.name == "Tom Berg"


def test_a_noun_of_sex_just_before_a_name_says_the_persons_gender() -> None:
    reg = PersonRegistry.from_text(
        '"It is wrong," said 9/11 widow Terry Vance. Berg spokesman Dale Oduya agreed. '
        "His wife, Robin Holt, did not. The son of Kim Lund was there."
    )
    assert reg.gender("Terry Vance") == "f"  # a given name alone would say "m"
    assert reg.gender("Dale Oduya") == "m"  # "spokesman", then "His": no pronoun against it
    assert reg.gender("Robin Holt") == "f"
    assert reg.gender("Kim Lund") is None  # "the son of" says nothing of Kim Lund


def test_spokesman_and_chairman_are_evidence_of_a_man_not_proof() -> None:
    reg = PersonRegistry.from_text(
        "Harbor spokesman Robin Vance said on Monday that she had not seen the report. "
        "She promised an answer.\n\nBoard chairman Dale Oduya declined to comment."
    )
    assert reg.gender("Robin Vance") == "f"  # the pronouns outweigh "spokesman"
    person = reg.lookup("Robin Vance")
    assert person is not None and person.honorific is None
    assert reg.gender("Dale Oduya") == "m"  # with nothing against it, the role noun decides
    husband = PersonRegistry.from_text("Her husband, Robin Vance, said she had left.")
    assert husband.gender("Robin Vance") == "m"  # "husband" is as good as an honorific


def test_a_persons_name_before_of_and_a_place_is_the_persons() -> None:
    text = (
        "Sen. Ida Lund of Oregon met Karen Holt of Acme Foods on Monday. "
        "Secretary of State Ola Berg joined them at the Bank of Norway.\n\n"
        "Lund and Holt spoke; Berg did not."
    )
    reg = PersonRegistry.from_text(text)
    assert reg.resolve("Lund") == ("Ida Lund", "Sen.")
    assert reg.resolve("Holt")[0] == "Karen Holt"
    assert reg.resolve("Berg") == ("Ola Berg", "Secretary of State")
    named = {name for _, name in reg.mentions}
    assert {"Ida Lund", "Karen Holt", "Ola Berg"} <= named
    assert not named & {"Oregon", "Acme Foods", "Norway"}  # places and firms are no persons
    assert reg.lookup("Bank") is None  # "Bank of Norway" names no one


def test_places_and_groups_of_people_are_not_one_person() -> None:
    assert group_or_place("South Carolina")
    assert group_or_place("New Yorkers")
    assert group_or_place("Massachusetts Democrats")
    assert not group_or_place("Karen Holt")
    assert not group_or_place("Tom Sanders")  # a surname that ends like a plural
    assert not group_or_place("Jordan Hale")  # a place's name as a given name


def test_a_given_name_in_apposition_after_a_word_for_a_relative_is_a_person() -> None:
    text = (
        "Tom Reed stayed home. His wife, Ingrid, spoke for him on Monday.\n\n"
        "Her father, Olaf, 71, worried about the harbour. Then Ingrid left."
    )
    reg = PersonRegistry.from_text(text)
    named = [name for _, name in reg.mentions]
    assert named.count("Ingrid") == 2 and "Olaf" in named
    assert reg.gender("Ingrid") == "f" and reg.gender("Olaf") == "m"


def test_a_single_name_before_who_is_a_person_but_not_after_a_preposition() -> None:
    reg = PersonRegistry.from_text("Meanwhile Zelda, who sang first, smiled. In Lyon, who knows.")
    named = {name for _, name in reg.mentions}
    assert "Zelda" in named and "Lyon" not in named
    # A lone capitalised word is still no person without such an introduction.
    assert PersonRegistry.from_text("Zelda sang first.").mentions == []


def test_a_modal_that_ends_a_full_name_is_a_surname() -> None:
    assert looks_like_person("Ida May")
    assert not looks_like_person("May")
    assert not looks_like_person("Prices May Rise")
    assert not looks_like_person("Trends Are")


def test_a_name_opening_a_line_after_a_heading_ending_in_a_preposition_is_a_mention() -> None:
    text = "Ida Lund spoke.\n\nWhy Fares Rise And Fall In\nIda Lund said the fares rose."
    reg = PersonRegistry.from_text(text)
    assert [name for _, name in reg.mentions].count("Ida Lund") == 2


def test_registry_keeps_a_hyphenated_role_as_title_not_name() -> None:
    text = (
        "Gazette Editor-in-Chief Mara Quill met the staff on Monday.\n\n"
        "Quill said the paper would keep printing."
    )
    registry = PersonRegistry.from_text(text)
    assert registry.resolve("Quill") == ("Mara Quill", "Gazette Editor-in-Chief")
    assert looks_like_person("Mara Quill")


def test_a_word_that_only_opens_a_sentence_is_taken_off_the_name_after_it() -> None:
    text = (
        "Tireless Varenne wins the port vote\n\n"
        "Olga Varenne, the harbour chief, was tireless on Sunday. Thanks Peter, she wrote "
        "to Peter Reyes, whose thanks came late."
    )
    reg = PersonRegistry.from_text(text)
    names = {name for _, name in reg.mentions}
    assert "Tireless Varenne" not in names
    assert "Thanks Peter" not in names
    assert reg.mentions[0][1] == "Olga Varenne"  # the heading's mention is hers


def test_a_name_whose_first_word_is_also_a_common_word_keeps_it() -> None:
    # "Rush" and "Karen" open sentences and are written lowercase ("rush", "karen"), but
    # "Rush Olsen" is also written in mid-sentence and Karen is a given name.
    text = (
        "Rush Olsen spoke first to Karen Olsen. There was no rush, said Rush Olsen.\n\n"
        "Karen Olsen waited. She said a karen is no insult."
    )
    names = {name for _, name in PersonRegistry.from_text(text).mentions}
    assert {"Rush Olsen", "Karen Olsen"} <= names


def _names(reg: PersonRegistry) -> set[str]:
    return {p.name for group in reg.people.values() for p in group}


def test_a_headline_gives_the_name_after_its_last_common_word() -> None:
    text = (
        "Ten Reasons Farmers Back Ida Lund\n\n"
        "Ida Lund spoke to farmers on Friday. There are reasons to back her, she said.\n\n"
        "Lund later left for the airport."
    )
    reg = PersonRegistry.from_text(text)
    assert reg.resolve("Lund") == ("Ida Lund", None)
    assert all("Reasons" not in n and "Farmers" not in n for n in _names(reg))


def test_a_given_name_after_another_word_opens_the_name() -> None:
    reg = PersonRegistry.from_text("Golden Harbor Chemist Peter Reyes\n\nReyes waited at the pier.")
    assert reg.resolve("Reyes")[0] == "Peter Reyes"
    # Not after another name, known or not.
    reg = PersonRegistry.from_text("Karen Olga Varenne arrived. Varenne sat down.")
    assert reg.resolve("Varenne")[0] == "Karen Olga Varenne"
    reg = PersonRegistry.from_text("Ottoline Olga Varenne arrived. Varenne sat down.")
    assert reg.resolve("Varenne")[0] == "Ottoline Olga Varenne"


def test_a_name_the_text_gives_alone_is_cut_out_of_a_longer_run() -> None:
    text = (
        "Ola Berg Joins Growing Panel\n\n"
        "Ola Berg met the panel on Monday. Berg said little.\n\n"
        "Ola Berg Jr. stayed home."
    )
    reg = PersonRegistry.from_text(text)
    assert not any("Joins" in n or "Panel" in n for n in _names(reg))
    assert any(n.startswith("Ola Berg") for n in _names(reg))
    assert "Ola Berg Jr." in _names(reg)  # a suffix is part of the name


def test_a_title_case_line_of_common_words_names_nobody() -> None:
    text = (
        "Why Farmers Feel Left Behind\n\n"
        "Many farmers feel left behind by the new rules, said Ola Berg, a grower."
    )
    reg = PersonRegistry.from_text(text)
    assert _names(reg) == {"Ola Berg"}


def test_an_organisation_of_common_words_stays_whole() -> None:
    text = "A Harbor Safety Office report found faults. The office keeps harbor safety records."
    reg = PersonRegistry.from_text(text)
    assert "Harbor Safety Office" in _names(reg)


def test_a_sentence_opener_is_not_part_of_a_name_the_text_gives_alone() -> None:
    text = "Maybe Roe is right.\n\nVoters may agree with Roe, and maybe they will."
    reg = PersonRegistry.from_text(text)
    assert "Maybe Roe" not in _names(reg)


def test_a_name_opening_with_a_common_word_loses_to_a_given_name() -> None:
    text = (
        "Republican Donor Lund and the plan\n\n"
        "Lund spoke first. Lund left early. Lund came back.\n\n"
        "A donor, Ida Lund, paid for the plan."
    )
    reg = PersonRegistry.from_text(text)
    assert reg.resolve("Lund")[0] == "Ida Lund"


def test_common_words_before_a_known_name_are_no_part_of_it() -> None:
    reg = PersonRegistry.from_text("Karen Lund met the donor. The donor liked Lund.")
    assert reg.resolve("Donor Karen Lund")[0] == "Karen Lund"
    assert reg.resolve("Donor Lund")[0] == "Karen Lund"
    # Not a word the text does not write lowercase: "Hunter Lund" may be someone else.
    assert reg.resolve("Hunter Lund")[0] == "Hunter Lund"


def test_a_role_before_a_known_full_name_is_its_title() -> None:
    reg = PersonRegistry.from_text("Karen Lund spoke first. Lund is the county recorder.")
    assert reg.resolve("Harbor County Recorder Karen Lund") == (
        "Karen Lund",
        "Harbor County Recorder",
    )
    # Only a name the registry holds whole: "Hunter Lund" is no "Lund" it knows.
    assert reg.resolve("Harbor Hunter Lund")[0] == "Harbor Hunter Lund"


def _names(reg: PersonRegistry) -> set[str]:
    return {p.name for group in reg.people.values() for p in group}


def test_a_heading_in_capitals_is_cut_off_the_words_after_it() -> None:
    text = (
        "HARBOR TOWN The ferry ran late on Monday, said Olga Varenne.\n\n"
        "Crews were Doing THIS all week, and the mayor was Fixing IT.\n\n"
        "The CIA Annex stayed shut this week. Varenne left it."
    )
    names = _names(PersonRegistry.from_text(text))
    assert "Olga Varenne" in names
    assert "CIA Annex" in names  # an acronym in a name is no heading
    assert not {n for n in names if n.endswith((" The", " THIS", " IT"))}


def test_words_that_end_no_name_are_taken_off_a_run() -> None:
    text = (
        "Shared This\n\nFollow Us\n\nThe talks in Port Alder D.C. This week were short.\n\n"
        "Olga Varenne met Al From. Their aide Tomas Reyes And others waited. Reyes shared "
        "the notes and asked readers to follow the talks."
    )
    names = _names(PersonRegistry.from_text(text))
    assert {"Olga Varenne", "Al From", "Tomas Reyes"} <= names
    assert not {n for n in names if n.split()[-1] in ("This", "Us", "And")}


def test_two_common_words_opening_a_line_or_a_sentence_are_no_name() -> None:
    text = (
        "Tough Choices\n\nThe council faced tough votes and hard choices. Olga Varenne spoke.\n\n"
        "Hard Votes were cast in Port Alder on Friday."
    )
    names = _names(PersonRegistry.from_text(text))
    assert "Olga Varenne" in names
    assert not names & {"Tough Choices", "Hard Votes"}


def test_bare_surname_names_the_person_with_it_named_last() -> None:
    text = (
        "Senator Walter Brisco opened the hearing. Brisco asked about the budget.\n\n"
        "His niece, Dana Brisco, runs a bakery in town. Brisco said sales had doubled.\n\n"
        "Walter Brisco closed the hearing. Brisco thanked the witnesses."
    )
    reg = PersonRegistry.from_text(text)
    niece = text.index("Brisco said")
    closing = text.index("Brisco thanked")
    assert reg.resolve("Brisco", niece)[0] == "Dana Brisco"
    assert reg.resolve("Brisco", closing)[0] == "Walter Brisco"
    assert reg.gender("Brisco", niece) == "f"
    # Without an offset, the most mentioned one, as before.
    assert reg.resolve("Brisco")[0] == "Walter Brisco"


def test_a_role_seen_with_a_surname_two_people_share_goes_to_neither() -> None:
    text = (
        "Rep. Tom Halvard's exit surprised his party.\n\n"
        "The seat may go to a friend of Rita Halvard, his wife. Rita Halvard runs a charity.\n\n"
        "Voters who backed Congressman Halvard were upset."
    )
    registry = PersonRegistry.from_text(text)
    assert registry.resolve("Rita Halvard") == ("Rita Halvard", None)
    # with one bearer of the name, the role is theirs
    alone = PersonRegistry.from_text(
        "Rita Halvard runs a charity.\n\nVoters who backed Senator Halvard were upset."
    )
    assert alone.resolve("Halvard") == ("Rita Halvard", "Senator")


def test_registry_finds_the_one_person_a_description_fits() -> None:
    text = (
        "Sen. Ida Lund (R-Ohio) met Ola Berg, 52, a former teacher, and Mayor Al Roe. "
        "Later the Ohio Republican spoke."
    )
    reg = PersonRegistry.from_text(text)
    later = len(text) - len("spoke.")
    found = reg.described("the Ohio Republican", later)
    assert found is not None and found.name == "Ida Lund"
    found = reg.described("the 52-year-old", later)
    assert found is not None and found.name == "Ola Berg"
    found = reg.described("the former teacher", later)
    assert found is not None and found.name == "Ola Berg"
    assert reg.described("the former mayor", later) is None  # Al Roe is mayor, not former
    assert reg.described("the teacher", 5) is None  # nobody described so before


def test_a_description_matches_a_state_abbreviation_and_words_after_the_head() -> None:
    text = (
        "Sen. Ida Lund (I-Vt.) met Ola Berg, the mayor of Port Ellen. "
        "Later the Vermont senator and the Port Ellen mayor spoke."
    )
    reg = PersonRegistry.from_text(text)
    later = len(text) - len("spoke.")
    found = reg.described("the Vermont senator", later)
    assert found is not None and found.name == "Ida Lund"
    found = reg.described("the Port Ellen mayor", later)
    assert found is not None and found.name == "Ola Berg"
    assert reg.described("the Ohio senator", later) is None
