// Reading and writing a data directory of long-format CSV files (docs/data.md, "Files"):
//   accounts.csv     account,class,sector          the account scheme (required)
//   sam.csv          region,row,column,value       one SAM per region (required)
//   trade.csv        good,exporter,importer,value[,margin]   bilateral exports at fob, margins cif - fob
//   tariffs.csv      good,exporter,importer,rate   bilateral ad valorem tariffs on cif values
//   elasticities.csv parameter,region,sector,value ("*" = every region / sector)
//   taxes.csv        tax,region,sector,value       production tax rates (cross-check of the SAM)
//   nests.csv        region,sector,nest,parent,elasticity,goods   sub-nests of a sector's intermediate bundle
#pragma once

#include <string>

#include "lccge/core/status.hpp"
#include "lccge/data/dataset.hpp"

namespace lccge::data {

// Reads a data directory. Every problem found while reading (unknown names, duplicates, non-numbers, missing
// columns) is added to `diagnostics` with its file and line; rows with a problem are skipped. Returns Ok when
// nothing was wrong, otherwise the first problem. The dataset holds whatever could be read either way.
// When tariffs.csv is absent, each importer's tariff revenue in the SAM becomes a uniform rate over its sources.
Status ReadDataset(const std::string& dir, Dataset* dataset, Diagnostics* diagnostics);

// Writes the dataset as the files above (zero cells are omitted), each atomically. Numbers are written in the
// shortest form that reads back to the same double, so a balanced dataset stays exactly balanced.
Status WriteDataset(const Dataset& dataset, const std::string& dir);

}  // namespace lccge::data
