#include <gtest/gtest.h>

#include "core/phone.hpp"

using namespace vg::core;

TEST(Phone, NationalNumbersReadInTheSiteRegion) {
    EXPECT_EQ(normalise_e164("06 12 34 56 78"), "+33612345678");
    EXPECT_EQ(normalise_e164("06 12 34 56 78", "fr"), "+33612345678");  // any case
    EXPECT_EQ(normalise_e164("+33 (0)6.12.34.56.78"), "+33612345678");
    EXPECT_EQ(normalise_e164("0033612345678"), "+33612345678");
    EXPECT_EQ(normalise_e164("01 23 45 67 89"), "+33123456789");
    EXPECT_EQ(normalise_e164("0690 12 34 56", "GP"), "+590690123456");  // Guadeloupe
    EXPECT_EQ(normalise_e164("0590 12 34 56", "GP"), "+590590123456");
    EXPECT_EQ(normalise_e164("0696123456", "MQ"), "+596696123456");  // Martinique
    EXPECT_EQ(normalise_e164("0694123456", "GF"), "+594694123456");  // Guyane
    EXPECT_EQ(normalise_e164("0692123456", "RE"), "+262692123456");  // La Réunion
    EXPECT_EQ(normalise_e164("0262 12 34 56", "RE"), "+262262123456");
    EXPECT_EQ(normalise_e164("0639 01 23 45", "YT"), "+262639012345");  // Mayotte
    EXPECT_EQ(normalise_e164("0470 12 34 56", "BE"), "+32470123456");
    EXPECT_EQ(normalise_e164("02 512 34 56", "BE"), "+3225123456");
    // International numbers are read as such whatever the region.
    EXPECT_EQ(normalise_e164("+32 470 12 34 56"), "+32470123456");
    EXPECT_EQ(normalise_e164("+590 690 12 34 56", "FR"), "+590690123456");
    EXPECT_EQ(normalise_e164("+33 6 12 34 56 78", "RE"), "+33612345678");
    EXPECT_EQ(normalise_e164("+1 650 253 0000", "BE"), "+16502530000");
}

// What the hand-made prefix table accepted or misread.
TEST(Phone, RejectsWhatThePrefixTableLetThrough) {
    // An overseas mobile typed in métropole's plan is not a French number (06 90... does not
    // exist): with FR it is refused instead of being guessed.
    EXPECT_FALSE(normalise_e164("0690 12 34 56", "FR"));
    EXPECT_FALSE(normalise_e164("06 12 34 56 78", "BE"));
    for (auto bad : {"", " ", "12", "06 12 34", "06 12 34 56", "06-12-34-56-78-99", "06a2345678",
                     "06 12 AB CD EF", "+33 6 12\n34", "+33 1", "+999 612345678", "+33612345678999",
                     "0612345678 ext 5", "tel:+33612345678", "++33612345678", "06 12 34 56 78 +",
                     "(0)", "call me"})
        EXPECT_FALSE(normalise_e164(bad)) << bad;
}

TEST(Phone, InternationalFormIsStoredAndShown) {
    auto p = parse_phone("0690123456", "gp");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->international, "+590 690 12 34 56");
    EXPECT_TRUE(p->mobile);
    // Read back from any region, the stored form gives the same number.
    EXPECT_EQ(normalise_e164(p->international, "BE"), "+590690123456");
}

TEST(Phone, RegionOfEachHolidayCalendar) {
    EXPECT_EQ(phone_region(HolidayRegion::fr_metropole), "FR");
    EXPECT_EQ(phone_region(HolidayRegion::fr_alsace_moselle), "FR");
    EXPECT_EQ(phone_region(HolidayRegion::none), "FR");
    EXPECT_EQ(phone_region(HolidayRegion::fr_guadeloupe), "GP");
    EXPECT_EQ(phone_region(HolidayRegion::fr_martinique), "MQ");
    EXPECT_EQ(phone_region(HolidayRegion::fr_guyane), "GF");
    EXPECT_EQ(phone_region(HolidayRegion::fr_reunion), "RE");
    EXPECT_EQ(phone_region(HolidayRegion::fr_mayotte), "YT");
    EXPECT_EQ(phone_region(HolidayRegion::be), "BE");
}

TEST(Phone, Mobiles) {
    EXPECT_TRUE(is_mobile("+33612345678"));
    EXPECT_TRUE(is_mobile("+33756123456"));
    EXPECT_FALSE(is_mobile("+33112345678"));
    EXPECT_FALSE(is_mobile("+33912345678"));  // VoIP
    EXPECT_TRUE(is_mobile("+32470123456"));
    EXPECT_FALSE(is_mobile("+3225123456"));
    EXPECT_TRUE(is_mobile("+262692123456"));
    EXPECT_TRUE(is_mobile("+590690123456"));
    EXPECT_FALSE(is_mobile("+590590123456"));
    EXPECT_FALSE(is_mobile("0612345678"));  // not E.164
    EXPECT_FALSE(is_mobile("+33 6 12 34 56 78"));
    EXPECT_FALSE(is_mobile("+3361234"));
}

TEST(Phone, SmsSegments) {
    EXPECT_EQ(sms_length("Bonjour").segments, 1);
    EXPECT_FALSE(sms_length("Rendez-vous le 25 à 9h30, prévoir vos documents.").unicode);
    EXPECT_EQ(sms_length(std::string(160, 'a')).segments, 1);
    EXPECT_EQ(sms_length(std::string(161, 'a')).segments, 2);
    EXPECT_EQ(sms_length(std::string(306, 'a')).segments, 2);
    EXPECT_EQ(sms_length(std::string(307, 'a')).segments, 3);
    EXPECT_EQ(sms_length("€").units, 2);  // extension table
    auto u = sms_length("Œuvre ç");       // Œ and ç are not GSM 03.38 basic
    EXPECT_TRUE(u.unicode);
    EXPECT_EQ(u.units, 7);
    std::string long_unicode;
    for (int i = 0; i < 71; ++i) long_unicode += "Œ";
    EXPECT_EQ(sms_length(long_unicode).segments, 2);
}

TEST(Phone, NormalisingTwiceChangesNothing) {
    // Found by tests/fuzz/phone.cpp: "+32  00474 56" became "+32047456", which read again
    // lost one more 0 ("+3247456", too short): a stored number must read back as itself.
    EXPECT_EQ(normalise_e164("+32  00474 56", "fr"), std::nullopt);
    EXPECT_EQ(normalise_e164("+33 (0)0 12 34 56 78", "fr"), std::nullopt);
    for (auto in : {"06 12 34 56 78", "+33 (0)6 12 34 56 78", "0032 470 12 34 56", "0690 12 34 56"})
        for (auto region : {"fr", "be"}) {
            if (auto once = normalise_e164(in, region)) {
                EXPECT_EQ(normalise_e164(*once, region), once) << in;
            }
        }
}

TEST(Phone, RegionOfAnOrganisation) {
    EXPECT_EQ(phone_region(std::string("be")), "BE");
    EXPECT_EQ(phone_region(std::string("fr_reunion")), "RE");
    EXPECT_EQ(phone_region(std::string("fr_guadeloupe")), "GP");
    for (auto r : {"fr_metropole", "fr_alsace_moselle", ""})
        EXPECT_EQ(phone_region(std::string(r)), "FR") << r;
}
