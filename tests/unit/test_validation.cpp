#include <gtest/gtest.h>

#include "core/citizen.hpp"

using namespace vg::core;

namespace {
CitizenInput valid() {
    return {"Zoé", "Dupont-Lefèvre", "zoe@example.fr", "", "fr", "", ""};
}
}  // namespace

TEST(Citizen, AcceptsAccentsAndTrims) {
    auto c = valid();
    c.first_name = "  Zoé ";
    EXPECT_TRUE(validate_citizen(c).empty());
    EXPECT_EQ(c.first_name, "Zoé");
}

TEST(Citizen, NeedsEmailOrPhone) {
    auto c = valid();
    c.email = "";
    auto e = validate_citizen(c);
    EXPECT_EQ(e["email"], "error.email_or_phone");
    c.phone = "06 12 34 56 78";
    EXPECT_TRUE(validate_citizen(c).empty());
}

TEST(Citizen, RejectsHeaderInjection) {
    auto c = valid();
    c.last_name = "Dupont\r\nBcc: victim@example.org";
    c.email = "a@b.fr\r\nBcc: x@y.z";
    auto e = validate_citizen(c);
    EXPECT_EQ(e["last_name"], "error.invalid_characters");
    EXPECT_EQ(e["email"], "error.invalid_email");
}

TEST(Citizen, RejectsMarkupAndOversize) {
    auto c = valid();
    c.first_name = "<script>";
    c.last_name = std::string(101, 'a');
    c.needs = std::string(1001, 'b');
    auto e = validate_citizen(c);
    EXPECT_EQ(e["first_name"], "error.invalid_characters");
    EXPECT_EQ(e["last_name"], "error.too_long");
    EXPECT_EQ(e["needs"], "error.too_long");
}

TEST(Citizen, RejectsInvalidUtf8) {
    auto c = valid();
    c.first_name = "\xC3\x28";
    EXPECT_EQ(validate_citizen(c)["first_name"], "error.invalid_characters");
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
    EXPECT_TRUE(is_valid_utf8("Ærøskøbing – 東京"));
}

TEST(Citizen, PhonesAndEmails) {
    auto c = valid();
    c.phone = "+33 (0)6.12.34.56.78";
    EXPECT_TRUE(validate_citizen(c).empty());
    c.phone = "12";
    EXPECT_EQ(validate_citizen(c)["phone"], "error.invalid_phone");
    c.phone = "";
    for (auto bad : {"plain", "a@b", "@b.fr", "a@@b.fr", "a b@c.fr", "a@b..fr", "a@b.fr."}) {
        c.email = bad;
        EXPECT_EQ(validate_citizen(c)["email"], "error.invalid_email") << bad;
    }
}

TEST(Citizen, LanguageAndBeneficiaryNumber) {
    auto c = valid();
    c.language = "xx";
    c.beneficiary_number = "12;DROP";
    auto e = validate_citizen(c);
    EXPECT_EQ(e["language"], "error.invalid_choice");
    EXPECT_EQ(e["beneficiary_number"], "error.invalid_beneficiary_number");
}

// Numbers the former check (6 to 15 digits, any prefix) let through.
TEST(Citizen, PhoneNumbersAreValidatedInTheSiteRegion) {
    auto c = valid();
    for (auto bad : {"06 12 34", "123456", "00 00 00 00 00", "0690 12 34 56", "+33 1"}) {
        c.phone = bad;
        EXPECT_EQ(validate_citizen(c)["phone"], "error.invalid_phone") << bad;
    }
    c.phone = "0690 12 34 56";
    EXPECT_TRUE(validate_citizen(c, {"GP", false}).empty());
    EXPECT_EQ(c.phone, "+590 690 12 34 56");  // stored in the international form
    c.phone = " 06 12 34 56 78 ";
    EXPECT_TRUE(validate_citizen(c).empty());
    EXPECT_EQ(c.phone, "+33 6 12 34 56 78");
}

TEST(Citizen, PhoneChannelRequiresANumber) {
    auto c = valid();  // an e-mail but no phone
    EXPECT_TRUE(validate_citizen(c, {"FR", false}).empty());
    EXPECT_EQ(validate_citizen(c, {"FR", true})["phone"], "error.phone_required");
    c.phone = "   ";
    EXPECT_EQ(validate_citizen(c, {"FR", true})["phone"], "error.phone_required");
    c.phone = "06 12 34";
    EXPECT_EQ(validate_citizen(c, {"FR", true})["phone"], "error.invalid_phone");
    c.phone = "0470 12 34 56";
    EXPECT_TRUE(validate_citizen(c, {"BE", true}).empty());
}
