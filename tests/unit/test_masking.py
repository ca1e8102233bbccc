"""The masking of a person's own details in kept texts (masking.text_masker, used by the
account erasure): phone numbers, ID numbers, names and emails however they are written —
half- or full-width digits and letters, full-width +８６, dashes, brackets and spaces — are
found on the text's NFKC form and replaced by *** in the ORIGINAL text; what only looks
alike stays."""
import pytest

from ckanext.lyg_opendata import masking

PHONE = "13912345678"
LANDLINE = "0518-85821234"
ID_NUMBER = "32070519900101123X"
NAME = "Zhou Wenjing"
EMAIL = "zhou.wenjing@example.invalid"

mask = masking.text_masker([NAME, EMAIL], [PHONE, LANDLINE], [ID_NUMBER])


@pytest.mark.parametrize("written", [
    "１３９１２３４５６７８",              # full-width digits
    "139１２３４5678",                     # half and full width mixed
    "＋８６ １３９ １２３４ ５６７８",      # full-width +86 and ideographic spaces
    "+86　139－1234－5678",                # ideographic space, full-width dashes
    "００８６１３９１２３４５６７８",        # 0086, full width
    "１３９—１２３４—５６７８",              # em dashes
    "（０５１８）８５８２１２３４",          # full-width brackets round the area code
    "０５１８－８５８２－１２３４",
    "＋８６ ５１８ ８５８２ １２３４",
    "３２０７０５１９９００１０１１２３Ｘ",  # an ID number in full width
    "３２０７０５ １９９００１０１ １２３ｘ",  # with spaces, a lower-case full-width x
    "320705-19900101-123X",
    "ＺＨＯＵ ＷＥＮＪＩＮＧ",              # full-width letters
    "ｚｈｏｕ　ｗｅｎｊｉｎｇ",              # full width, ideographic space
    "ＺＨＯＵ．ＷＥＮＪＩＮＧ＠ＥＸＡＭＰＬＥ．ＩＮＶＡＬＩＤ",
])
def test_each_way_of_writing_it_is_masked_in_place(written):
    assert mask(f"请联系{written}。谢谢") == "请联系***。谢谢"


def test_only_the_matched_original_characters_are_replaced():
    text = "甲：１３９１２３４５６７８；乙：Ｚｈｏｕ　Ｗｅｎｊｉｎｇ（ｚｈｏｕ．ｗｅｎｊｉｎｇ＠ｅｘａｍｐｌｅ．ｉｎｖａｌｉｄ）；丙：ＡＢＣ１２３"
    assert mask(text) == "甲：***；乙：***（***）；丙：ＡＢＣ１２３"


@pytest.mark.parametrize("look_alike", [
    "１３９１２３４５６７９",               # one digit differs
    "１３９１２３４５６７８９",             # inside a longer run of digits
    "２１３９１２３４５６７８",
    "２０２６年１１月２９日",               # a date in full width
    "３２０７０５１９９００１０１１２３４",  # another ID number (last character differs)
    "Ａ３２０７０５１９９００１０１１２３Ｘ",  # inside a longer code
    "Ζhou Wenjing",                        # a Greek capital zeta, not a Z: not the same name
    "zhou.wenjing@example.com",            # another address
])
def test_look_alikes_are_kept(look_alike):
    text = f"对照：{look_alike}。"
    assert mask(text) == text


def test_the_details_given_in_full_width_are_found_in_half_width_texts():
    wide = masking.text_masker(["ＺＨＯＵ　ＷＥＮＪＩＮＧ"], ["＋８６　１３９－１２３４－５６７８"],
                               ["３２０７０５１９９００１０１１２３ｘ"])
    assert wide("Zhou Wenjing 13912345678 32070519900101123X") == "*** *** ***"


def test_combining_marks_stay_with_their_letter():
    accented = masking.text_masker(["José"], [], [])
    # é written as e + combining acute accent: matched whole, nothing of it left behind
    assert accented("by Jose\u0301 and Jose") == "by *** and Jose"


@pytest.mark.parametrize("written, digits", [
    ("13912345678", "13912345678"), ("+86 139-1234-5678", "13912345678"),
    ("008613912345678", "13912345678"), ("8613912345678", "13912345678"),
    ("0518-85821234", "51885821234"), ("+86 518 8582 1234", "51885821234"),
    ("(0518) 85821234", "51885821234"), ("12345", None),
    ("＋８６ １３９ １２３４ ５６７８", "13912345678"), ("（０５１８）８５８２１２３４", "51885821234"),
    ("００８６１３９１２３４５６７８", "13912345678"),
])
def test_phone_digits(written, digits):
    assert masking.phone_digits(written) == digits


def test_nothing_to_look_for_changes_nothing():
    assert masking.text_masker([], [], [])("１３９１２３４５６７８") == "１３９１２３４５６７８"
    assert masking.text_masker(["a"], ["12345"], ["12"])("a 12345 12") == "a 12345 12"
