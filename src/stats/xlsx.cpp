#include "stats/xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vg::stats {

namespace {

void check(lxw_error e, const char* what) {
    if (e != LXW_NO_ERROR)
        throw std::runtime_error(std::string("xlsx: ") + what + ": " + lxw_strerror(e));
}

}  // namespace

XlsxWriter::XlsxWriter(const std::vector<std::string>& columns) {
    tmpdir_ = std::filesystem::temp_directory_path().string();
    auto& dir = tmpdir_;
    std::string tmpl = dir + "/visioguichet-export-XXXXXX";
    int fd = mkstemp(tmpl.data());
    if (fd < 0) throw std::runtime_error("xlsx: cannot create a temporary file in " + dir);
    close(fd);
    path_ = tmpl;
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = tmpdir_.data();
    workbook_ = workbook_new_opt(path_.c_str(), &options);
    if (!workbook_) {
        std::filesystem::remove(path_);
        throw std::runtime_error("xlsx: cannot create the workbook");
    }
    sheet_ = workbook_add_worksheet(workbook_, "statistics");
    header_ = workbook_add_format(workbook_);
    format_set_bold(header_);
    time_ = workbook_add_format(workbook_);
    format_set_num_format(time_, "yyyy-mm-dd hh:mm:ss");
    decimal_ = workbook_add_format(workbook_);
    format_set_num_format(decimal_, "0.00");
    for (lxw_col_t c = 0; c < columns.size(); ++c) {
        bool is_time = columns[c].ends_with("_at");
        worksheet_set_column(sheet_, c, c,
                             is_time ? 20 : double(std::max<size_t>(10, columns[c].size() + 2)),
                             nullptr);
        check(worksheet_write_string(sheet_, 0, c, columns[c].c_str(), header_), "header");
    }
    worksheet_freeze_panes(sheet_, 1, 0);
    row_ = 1;
}

XlsxWriter::~XlsxWriter() {
    if (workbook_) workbook_close(workbook_);
    if (!path_.empty()) {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
}

void XlsxWriter::add(const std::vector<Cell>& cells) {
    for (lxw_col_t c = 0; c < cells.size(); ++c) {
        auto& x = cells[c];
        switch (x.type) {
            case Cell::Type::blank:
                break;
            case Cell::Type::number:
                check(worksheet_write_number(sheet_, row_, c, x.number,
                                             x.decimals > 0 ? decimal_ : nullptr),
                      "number");
                break;
            case Cell::Type::time: {
                lxw_datetime t{x.local.year, x.local.month,  x.local.day,
                               x.local.hour, x.local.minute, double(x.second)};
                check(worksheet_write_datetime(sheet_, row_, c, &t, time_), "date");
                break;
            }
            case Cell::Type::text:
                // A string cell: never a formula, whatever it begins with.
                check(worksheet_write_string(sheet_, row_, c, x.text.c_str(), nullptr), "text");
                break;
        }
    }
    ++row_;
}

std::string XlsxWriter::finish() {
    auto* w = workbook_;
    workbook_ = nullptr;
    check(workbook_close(w), "close");
    std::ifstream in(path_, std::ios::binary);
    if (!in.is_open()) throw std::runtime_error("xlsx: cannot read the file back");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return std::move(bytes).str();
}

}  // namespace vg::stats
