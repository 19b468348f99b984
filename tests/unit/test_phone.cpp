#include <gtest/gtest.h>

#include "core/phone.hpp"

using namespace vg::core;

TEST(Phone, NormalisesFrenchAndOverseasAndBelgian) {
    EXPECT_EQ(normalise_e164("06 12 34 56 78"), "+33612345678");
    EXPECT_EQ(normalise_e164("+33 (0)6.12.34.56.78"), "+33612345678");
    EXPECT_EQ(normalise_e164("0033612345678"), "+33612345678");
    EXPECT_EQ(normalise_e164("0690 12 34 56"), "+590690123456");  // Guadeloupe
    EXPECT_EQ(normalise_e164("0696123456"), "+596696123456");     // Martinique
    EXPECT_EQ(normalise_e164("0694123456"), "+594694123456");     // Guyane
    EXPECT_EQ(normalise_e164("0692123456"), "+262692123456");     // La Réunion
    EXPECT_EQ(normalise_e164("0639123456"), "+262639123456");     // Mayotte
    EXPECT_EQ(normalise_e164("0470 12 34 56", "be"), "+32470123456");
    EXPECT_EQ(normalise_e164("+32 470 12 34 56"), "+32470123456");
    EXPECT_EQ(normalise_e164("02 123 45 67", "be"), "+3221234567");
    for (auto bad : {"", "12", "06 12 34", "06-12-34-56-78-99", "06a2345678", "+33 6 12\n34"})
        EXPECT_FALSE(normalise_e164(bad)) << bad;
}

TEST(Phone, Mobiles) {
    EXPECT_TRUE(is_mobile("+33612345678"));
    EXPECT_TRUE(is_mobile("+33712345678"));
    EXPECT_FALSE(is_mobile("+33112345678"));
    EXPECT_TRUE(is_mobile("+32470123456"));
    EXPECT_FALSE(is_mobile("+3221234567"));
    EXPECT_TRUE(is_mobile("+262692123456"));
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
        for (auto region : {"fr", "be"})
            if (auto once = normalise_e164(in, region))
                EXPECT_EQ(normalise_e164(*once, region), once) << in;
}

TEST(Phone, RegionOfAnOrganisation) {
    EXPECT_EQ(phone_region("be"), "be");
    for (auto r : {"fr_metropole", "fr_reunion", "fr_alsace_moselle", ""})
        EXPECT_EQ(phone_region(r), "fr") << r;
}
