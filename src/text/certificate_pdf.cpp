#include "text/certificate_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

#include "core/citizen.hpp"

namespace vg::text {

namespace {

// A4 in PDF points, and the margins inside the frame.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 72.0;
constexpr double kFrame = 28.0;
constexpr const char* kFont = "DejaVu Sans";

struct Block {
    std::string text;
    double size = 13;  // points, before scaling
    bool bold = false;
    PangoAlignment align = PANGO_ALIGN_LEFT;
    double space_before = 0;   // points, before scaling
    bool heading = false;      // in the title's colour
    bool pushed_down = false;  // starts the signature: half the spare height comes before it
};

// The Annexe 1 text, block by block. « and » hold their words with no-break spaces.
std::vector<Block> blocks_of(const CertificateFields& f) {
    const std::string label = "«\u00a0Point numérique Caf\u00a0»";
    std::vector<Block> out;
    out.push_back({"Certificat", 30, true, PANGO_ALIGN_CENTER, 0, true});
    out.push_back({label, 24, true, PANGO_ALIGN_CENTER, 6, true});
    out.push_back({f.caf_name + " a attribué le label " + label + " au partenaire", 14, false,
                   PANGO_ALIGN_CENTER, 56});
    out.push_back({f.partner_name, 22, true, PANGO_ALIGN_CENTER, 22});
    out.push_back({f.partner_town, 16, false, PANGO_ALIGN_CENTER, 8});
    out.push_back({"Ce label reconnaît la compétence du partenaire «\u00a0" + f.partner_name +
                       "\u00a0» pour accompagner les usagers dans leurs démarches en ligne Caf.",
                   13, false, PANGO_ALIGN_LEFT, 44});
    out.push_back(
        {"Dans le cadre de la démarche qualité de la Caf, le partenaire est formé et "
         "évalué chaque année.",
         13, false, PANGO_ALIGN_LEFT, 14});
    out.push_back({(f.place.empty() ? "Le " : f.place + ", le ") + f.date, 13, false,
                   PANGO_ALIGN_RIGHT, 56, false, true});
    out.push_back({f.director_title, 13, false, PANGO_ALIGN_RIGHT, 28});
    if (!f.director_name.empty()) out.push_back({f.director_name, 13, true, PANGO_ALIGN_RIGHT, 4});
    return out;
}

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
template <class T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

void unref_layout(PangoLayout* p) {
    g_object_unref(p);
}
void unref_context(PangoContext* p) {
    g_object_unref(p);
}
using Layout = Owned<PangoLayout, unref_layout>;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

PangoLayout* layout_of(PangoContext* ctx, const Block& b, double scale, double width) {
    PangoLayout* layout = pango_layout_new(ctx);
    Owned<PangoFontDescription, pango_font_description_free> font(
        pango_font_description_from_string(kFont));
    pango_font_description_set_absolute_size(font.get(), b.size * scale * PANGO_SCALE);
    pango_font_description_set_weight(font.get(), b.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font.get());
    pango_layout_set_width(layout, int(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, b.align);
    // No hyphen where a long word breaks: the name must read back as it was written.
    Owned<PangoAttrList, pango_attr_list_unref> attrs(pango_attr_list_new());
    pango_attr_list_insert(attrs.get(), pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(layout, attrs.get());
    pango_layout_set_text(layout, b.text.c_str(), int(b.text.size()));
    return layout;
}

}  // namespace

std::string certificate_pdf(const CertificateFields& fields) {
    for (const std::string* s :
         {&fields.partner_name, &fields.partner_town, &fields.caf_name, &fields.date,
          &fields.director_name, &fields.place, &fields.director_title})
        if (!core::is_valid_utf8(*s)) throw std::invalid_argument("certificate: invalid UTF-8");

    std::string pdf;
    Owned<cairo_surface_t, cairo_surface_destroy> surface(
        cairo_pdf_surface_create_for_stream(append, &pdf, kPageWidth, kPageHeight));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                   "Certificat Point numérique Caf");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Visioguichet");
    Owned<cairo_t, cairo_destroy> cr(cairo_create(surface.get()));
    Owned<PangoContext, unref_context> ctx(pango_cairo_create_context(cr.get()));

    const double width = kPageWidth - 2 * kMargin;
    const double room = kPageHeight - 2 * kMargin;
    const auto blocks = blocks_of(fields);

    // The largest scale (1, then 10 % smaller each time) at which every block fits the page.
    double scale = 1.0;
    std::vector<Layout> layouts;
    std::vector<double> heights;
    for (;;) {
        layouts.clear();
        heights.clear();
        double total = 0;
        for (const auto& b : blocks) {
            layouts.emplace_back(layout_of(ctx.get(), b, scale, width));
            int w = 0, h = 0;
            pango_layout_get_size(layouts.back().get(), &w, &h);
            heights.push_back(double(h) / PANGO_SCALE);
            total += b.space_before * scale + heights.back();
        }
        if (total <= room || scale < 0.2) break;
        scale *= 0.9;
    }

    // The frame: a thin double border inside the page.
    cairo_set_source_rgb(cr.get(), 0.0, 0.33, 0.6);
    cairo_set_line_width(cr.get(), 2.0);
    cairo_rectangle(cr.get(), kFrame, kFrame, kPageWidth - 2 * kFrame, kPageHeight - 2 * kFrame);
    cairo_stroke(cr.get());
    cairo_set_line_width(cr.get(), 0.6);
    cairo_rectangle(cr.get(), kFrame + 6, kFrame + 6, kPageWidth - 2 * kFrame - 12,
                    kPageHeight - 2 * kFrame - 12);
    cairo_stroke(cr.get());

    // The height left: a third above the text, half before the date and signature.
    double total = 0;
    for (std::size_t i = 0; i < blocks.size(); ++i)
        total += blocks[i].space_before * scale + heights[i];
    const double spare = std::max(0.0, room - total);
    double y = kMargin + spare / 3;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        y += blocks[i].space_before * scale + (blocks[i].pushed_down ? spare / 2 : 0);
        if (blocks[i].heading) {
            cairo_set_source_rgb(cr.get(), 0.0, 0.33, 0.6);
        } else {
            cairo_set_source_rgb(cr.get(), 0.1, 0.1, 0.1);
        }
        cairo_move_to(cr.get(), kMargin, y);
        pango_cairo_show_layout(cr.get(), layouts[i].get());
        y += heights[i];
    }
    layouts.clear();
    ctx.reset();
    cr.reset();
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("certificate: ") +
                                 cairo_status_to_string(cairo_surface_status(surface.get())));
    return pdf;
}

}  // namespace vg::text
