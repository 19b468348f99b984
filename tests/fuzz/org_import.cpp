// The organisation file (app/org_import: every check, nothing written).
#include "app/org_import.hpp"

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vg;
    try {
        auto doc = app::read_organisation(fuzz::text(data, size));
        fuzz::check(!doc.sites.empty() && !doc.motifs.empty(), "a valid file has sites, motifs");
    } catch (const app::ImportError& e) {
        fuzz::check(!e.problems.empty(), "a refused file says why");
    }
    return 0;
}
