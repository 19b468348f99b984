// Phone numbers as citizens type them (core/phone), and SMS length counting.
#include "core/phone.hpp"

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vg;
    auto s = fuzz::text(data, size);
    for (const char* region : {"fr", "be"}) {
        if (auto e164 = core::normalise_e164(s, region)) {
            fuzz::check(e164->size() > 1 && (*e164)[0] == '+', "E.164 starts with +");
            fuzz::check(e164->find_first_not_of("+0123456789") == std::string::npos,
                        "E.164 holds digits only");
            fuzz::check(core::normalise_e164(*e164, region) == e164, "normalising is stable");
            (void)core::is_mobile(*e164);
        }
    }
    auto len = core::sms_length(s);
    fuzz::check(len.units >= 0 && len.segments >= 0, "lengths are not negative");
    fuzz::check(len.segments == 0 || len.units > 0, "segments only for text");
    return 0;
}
