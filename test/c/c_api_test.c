/* The C API tested from plain C (compiled as C99, not C++): the published twobytwo solution, parameters and
 * scenarios, options, arrays with names, a multi-region model from a data folder, and the errors (missing file, bad
 * file with its line, unknown names, NULL handles, indices and arrays out of range).
 *
 * Usage: c_api_test SOURCE_DIR SCRATCH_DIR (the checkout, for test/data and examples; a folder to write a file in).
 * Prints one line per failed check and "N passed, N failed" at the end; exits 0 when nothing failed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lccge/c/lccge.h"

static int passed = 0;
static int failed = 0;

static void check(int ok, const char* what, int line) {
  if (ok) {
    ++passed;
  } else {
    ++failed;
    printf("c_api_test.c:%d: FAILED: %s (last error: '%s')\n", line, what, lccge_last_error());
  }
}

static void check_near(double actual, double expected, double relative, const char* what, int line) {
  const double scale = fabs(expected) > 1.0 ? fabs(expected) : 1.0;
  if (fabs(actual - expected) <= relative * scale) {
    ++passed;
  } else {
    ++failed;
    printf("c_api_test.c:%d: FAILED: %s = %.17g, expected %.17g (relative tolerance %g)\n", line, what, actual,
           expected, relative);
  }
}

/* The message of the last error contains `text`. */
static int error_mentions(const char* text) { return strstr(lccge_last_error(), text) != NULL; }

/* Writes `text` to DIR/NAME; 1 on success. */
static int write_file(const char* dir, const char* name, const char* text) {
  char path[4096];
  FILE* file;
  int ok;
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  file = fopen(path, "w");
  if (file == NULL) return 0;
  ok = fputs(text, file) >= 0;
  return fclose(file) == 0 && ok;
}

static void remove_file(const char* dir, const char* name) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  remove(path);
}

#define CHECK(condition) check((condition) != 0, #condition, __LINE__)
#define CHECK_OK(call) check((call) == LCCGE_OK, #call, __LINE__)
#define CHECK_STATUS(call, status) check((call) == (status), #call " returns " #status, __LINE__)
#define CHECK_NEAR(actual, expected, relative) check_near((actual), (expected), (relative), #actual, __LINE__)

/* The published solution of twobytwo_ces, scenario labor_plus10pct_PX_numeraire: +10 % labour endowment, PX = 1.
 * Source: MPSGE.jl, test/MPSGEresults.xlsx, sheet TwoxTwoCESProd, column "PX=1" (GAMS/MPSGE with PATH); the same
 * numbers are in test/data/models/twobytwo_ces.json. */
static const char* const kNames[] = {"X", "Y", "U", "PX", "PY", "PU", "PL", "PK", "RA"};
static const double kPublished[] = {1.0505065382343373, 1.0324804191372636, 1.0444631317247959, 1.0,
                                    1.0174590420922098, 1.0057861367468626, 0.9131639599518202, 1.0907794477357717,
                                    157.57598073515192};
static const double kPublishedXInPL = 52.32335976687205; /* report "X:in:PL" */
/* Column "RA=157": the same equilibrium with income fixed at 157 instead of a price (prices scale with income). */
static const double kPublishedPXAtRA157 = 0.9963447424426385;

static void test_library(void) {
  CHECK(strlen(lccge_version()) > 0);
  CHECK(lccge_c_api_version() == LCCGE_C_API_VERSION);
  CHECK(strcmp(lccge_status_string(LCCGE_OK), "ok") == 0);
  CHECK(strcmp(lccge_status_string(LCCGE_ERROR_NOT_FOUND), "not found") == 0);
  CHECK(strcmp(lccge_status_string(99), "unknown status") == 0);
}

static void test_published_twobytwo(const char* model_file) {
  lccge_model* model = NULL;
  lccge_options* options = NULL;
  lccge_result* result = NULL;
  const char* text = NULL;
  size_t count = 0, index = 0, i;
  double value = 0, values[9], warm[9];
  const char* names[9];
  lccge_variable_kind kind = LCCGE_AUXILIARY;
  lccge_termination termination = LCCGE_NOT_RUN;
  int iterations = -1;

  CHECK_OK(lccge_model_load(model_file, &model));
  if (model == NULL) return;
  CHECK(strcmp(lccge_last_error(), "") == 0);
  CHECK_OK(lccge_model_name(model, &text));
  CHECK(strcmp(text, "twobytwo_ces") == 0);

  /* Variables in the model's order, with their kinds. */
  CHECK_OK(lccge_model_variable_count(model, &count));
  CHECK(count == 9);
  for (i = 0; i < 9 && i < count; ++i) {
    CHECK_OK(lccge_model_variable_name(model, i, &text));
    CHECK(strcmp(text, kNames[i]) == 0);
  }
  CHECK_OK(lccge_model_variable_kind(model, 0, &kind));
  CHECK(kind == LCCGE_SECTOR);
  CHECK_OK(lccge_model_variable_kind(model, 4, &kind));
  CHECK(kind == LCCGE_COMMODITY);
  CHECK_OK(lccge_model_variable_kind(model, 8, &kind));
  CHECK(kind == LCCGE_CONSUMER);
  CHECK_OK(lccge_model_variable_index(model, "PL", &index));
  CHECK(index == 6);

  /* Parameters and scenarios: the first scenario is current; selecting one takes its parameter values. */
  CHECK_OK(lccge_model_parameter_count(model, &count));
  CHECK(count == 1);
  CHECK_OK(lccge_model_parameter_name(model, 0, &text));
  CHECK(strcmp(text, "endow") == 0);
  CHECK_OK(lccge_model_get_parameter(model, "endow", &value));
  CHECK(value == 1.0);
  CHECK_OK(lccge_model_scenario_count(model, &count));
  CHECK(count == 4);
  CHECK_OK(lccge_model_scenario_name(model, 2, &text));
  CHECK(strcmp(text, "labor_plus10pct_PX_numeraire") == 0);
  CHECK_OK(lccge_model_current_scenario(model, &text));
  CHECK(strcmp(text, "benchmark") == 0);
  CHECK_OK(lccge_model_select_scenario(model, "labor_plus10pct_PX_numeraire"));
  CHECK_OK(lccge_model_current_scenario(model, &text));
  CHECK(strcmp(text, "labor_plus10pct_PX_numeraire") == 0);
  CHECK_OK(lccge_model_get_parameter(model, "endow", &value));
  CHECK(value == 1.1);

  /* Solve with options and compare every value with the published solution. */
  CHECK_OK(lccge_options_create(&options));
  CHECK_OK(lccge_options_set_method(options, "newton-lu"));
  CHECK_OK(lccge_options_set_tolerance(options, 1e-12));
  CHECK_OK(lccge_options_set_max_iterations(options, 50));
  CHECK_OK(lccge_options_set_max_seconds(options, 60));
  CHECK_OK(lccge_solve(model, options, &result));
  if (result == NULL) {
    lccge_options_free(options);
    lccge_model_free(model);
    return;
  }
  CHECK_OK(lccge_result_termination(result, &termination));
  CHECK(termination == LCCGE_CONVERGED);
  CHECK_OK(lccge_result_iterations(result, &iterations));
  CHECK(iterations > 0);
  CHECK_OK(lccge_result_max_residual(result, &value));
  CHECK(value >= 0 && value < 1e-12);
  CHECK_OK(lccge_result_walras_residual(result, &value));
  CHECK(value >= 0 && value < 1e-9);
  CHECK_OK(lccge_result_seconds(result, &value));
  CHECK(value >= 0 && value < 60);
  CHECK_OK(lccge_result_method(result, &text));
  CHECK(strcmp(text, "newton-lu") == 0);
  CHECK_OK(lccge_result_scenario(result, &text));
  CHECK(strcmp(text, "labor_plus10pct_PX_numeraire") == 0);
  CHECK_OK(lccge_result_brief_report(result, &text));
  CHECK(strstr(text, "converged") != NULL);
  CHECK_OK(lccge_result_message(result, &text));

  CHECK_OK(lccge_result_value_count(result, &count));
  CHECK(count == 9);
  CHECK_OK(lccge_result_values(result, values, names, 9));
  for (i = 0; i < 9; ++i) {
    CHECK(strcmp(names[i], kNames[i]) == 0);
    CHECK_NEAR(values[i], kPublished[i], 1e-8);
    CHECK_OK(lccge_result_value(result, kNames[i], &value));
    CHECK(value == values[i]);
  }
  CHECK_OK(lccge_result_report(result, "X:in:PL", &value));
  CHECK_NEAR(value, kPublishedXInPL, 1e-8);
  CHECK_OK(lccge_result_report_count(result, &count));
  CHECK(count > 9);
  {
    double* report_values = (double*)malloc(count * sizeof(double));
    const char** keys = (const char**)malloc(count * sizeof(const char*));
    if (report_values != NULL && keys != NULL) {
      CHECK_OK(lccge_result_reports(result, report_values, keys, count));
      for (i = 0; i < count; ++i) {
        if (strcmp(keys[i], "X:in:PL") == 0) CHECK_NEAR(report_values[i], kPublishedXInPL, 1e-8);
        if (i > 0) CHECK(strcmp(keys[i - 1], keys[i]) < 0); /* sorted, no duplicates */
      }
      CHECK_STATUS(lccge_result_reports(result, report_values, NULL, count - 1), LCCGE_ERROR_RANGE);
    }
    free(report_values);
    free((void*)keys);
  }
  memcpy(warm, values, sizeof(warm));
  CHECK_OK(lccge_result_free(result));
  result = NULL;

  /* Warm start at the solution: nothing left to do. */
  CHECK_OK(lccge_options_set_warm_start(options, warm, 9));
  CHECK_OK(lccge_solve(model, options, &result));
  if (result != NULL) {
    CHECK_OK(lccge_result_iterations(result, &iterations));
    CHECK(iterations == 0);
    CHECK_OK(lccge_result_value(result, "PK", &value));
    CHECK_NEAR(value, kPublished[7], 1e-8);
    CHECK_OK(lccge_result_free(result));
    result = NULL;
  }
  /* A warm start of the wrong length is an invalid call. */
  CHECK_OK(lccge_options_set_warm_start(options, warm, 3));
  CHECK_STATUS(lccge_solve(model, options, &result), LCCGE_ERROR_INVALID_INPUT);
  CHECK(result == NULL);
  CHECK(error_mentions("warm start has 3 values"));
  CHECK_OK(lccge_options_set_warm_start(options, NULL, 0));

  /* A shock set through the API: the benchmark scenario (income fixed at 150) with endow = 1.1. Prices are
   * homogeneous of degree one in the fixed income, quantities of degree zero: the published "RA=157" column scaled
   * by 150/157. */
  CHECK_OK(lccge_model_select_scenario(model, "benchmark"));
  CHECK_OK(lccge_model_set_parameter(model, "endow", 1.1));
  CHECK_OK(lccge_model_get_parameter(model, "endow", &value));
  CHECK(value == 1.1);
  CHECK_OK(lccge_solve(model, NULL, &result));
  if (result != NULL) {
    CHECK_OK(lccge_result_value(result, "X", &value));
    CHECK_NEAR(value, kPublished[0], 1e-8);
    CHECK_OK(lccge_result_value(result, "PX", &value));
    CHECK_NEAR(value, kPublishedPXAtRA157 * 150.0 / 157.0, 1e-8);
    CHECK_OK(lccge_result_free(result));
    result = NULL;
  }
  /* Fixing PX instead of RA gives the published PX=1 column; re-selecting forgets the changes. */
  CHECK_OK(lccge_model_select_scenario(model, "labor_plus10pct_RA_numeraire"));
  CHECK_OK(lccge_model_set_parameter(model, "endow", 1.0));
  CHECK_OK(lccge_model_select_scenario(model, "labor_plus10pct_RA_numeraire"));
  CHECK_OK(lccge_model_get_parameter(model, "endow", &value));
  CHECK(value == 1.1);

  CHECK_OK(lccge_options_free(options));
  CHECK_OK(lccge_model_free(model));
}

static void test_data_folder(const char* data_dir) {
  lccge_model* model = NULL;
  lccge_result* result = NULL;
  lccge_termination termination = LCCGE_NOT_RUN;
  double walras = 1, tariff_scale = -1, pu = 0;
  size_t index = 0;

  CHECK_OK(lccge_model_load(data_dir, &model));
  if (model == NULL) return;
  CHECK_OK(lccge_model_variable_index(model, "Y_north_agr", &index));
  CHECK_OK(lccge_model_select_scenario(model, "tariff_removal"));
  CHECK_OK(lccge_model_get_parameter(model, "tariff_scale", &tariff_scale));
  CHECK(tariff_scale == 0.0);
  CHECK_OK(lccge_solve(model, NULL, &result));
  if (result != NULL) {
    CHECK_OK(lccge_result_termination(result, &termination));
    CHECK(termination == LCCGE_CONVERGED);
    CHECK_OK(lccge_result_walras_residual(result, &walras));
    CHECK(walras >= 0 && walras < 1e-9);
    CHECK_OK(lccge_result_value(result, "PU_north", &pu)); /* the numeraire */
    CHECK(pu == 1.0);
  }
  CHECK_OK(lccge_result_free(result));
  CHECK_OK(lccge_model_free(model));
}

static void test_errors(const char* source_dir, const char* scratch_dir) {
  lccge_model* model = NULL;
  lccge_options* options = NULL;
  lccge_result* result = NULL;
  const char* text = NULL;
  size_t count = 0;
  double value = 0;
  char path[4096];

  /* A missing file. */
  snprintf(path, sizeof(path), "%s/no_such_model.yaml", scratch_dir);
  CHECK_STATUS(lccge_model_load(path, &model), LCCGE_ERROR_IO);
  CHECK(model == NULL);
  CHECK(error_mentions("no_such_model.yaml"));

  /* A bad file: the message names the file, the line and the cause. */
  if (write_file(scratch_dir, "c_api_bad_model.yaml",
                 "name: bad\n"
                 "sectors: [X]\n"
                 "commodities: [PX, PL]\n"
                 "consumers: [RA]\n"
                 "productions:\n"
                 "  - sector: X\n"
                 "    outputs: [{commodity: PX, quantity: 1}]\n"
                 "    inputs: [{commodity: PZ, quantity: 1}]\n"
                 "demands:\n"
                 "  - consumer: RA\n"
                 "    final_demands: [{commodity: PX, quantity: 1}]\n"
                 "    endowments: [{commodity: PL, quantity: 1}]\n")) {
    snprintf(path, sizeof(path), "%s/c_api_bad_model.yaml", scratch_dir);
    CHECK_STATUS(lccge_model_load(path, &model), LCCGE_ERROR_INVALID_INPUT);
    CHECK(model == NULL);
    CHECK(error_mentions("c_api_bad_model.yaml:8: sector 'X' input: unknown commodity 'PZ'"));
    remove_file(scratch_dir, "c_api_bad_model.yaml");
  } else {
    CHECK(!"could not write c_api_bad_model.yaml");
  }

  /* A data folder with problems (the scratch folder itself): the first problem with its file and line, and how
   * many more there are. */
  CHECK(write_file(scratch_dir, "accounts.csv",
                   "account,class,sector\na_x,activity,x\nc_x,commodity,x\nlab,labour,\nhh,household,\n"
                   "inv,investment,\nworld,world,\n"));
  CHECK(write_file(scratch_dir, "sam.csv",
                   "region,row,column,value\np,lab,a_x,10\np,a_x,c_x,10\np,c_x,hh,ten\np,hh,lab,10\n"
                   "p,world,c_x,nan\n"));
  CHECK_STATUS(lccge_model_load(scratch_dir, &model), LCCGE_ERROR_INVALID_INPUT);
  CHECK(model == NULL);
  CHECK(error_mentions("sam.csv:4: column 'value': 'ten' is not a number (and 1 more problem in the data folder"));
  remove_file(scratch_dir, "accounts.csv");
  remove_file(scratch_dir, "sam.csv");

  /* Unknown names. */
  snprintf(path, sizeof(path), "%s/test/data/models/twobytwo_ces.json", source_dir);
  CHECK_OK(lccge_model_load(path, &model));
  if (model == NULL) return;
  CHECK_STATUS(lccge_model_get_parameter(model, "no_such_parameter", &value), LCCGE_ERROR_NOT_FOUND);
  CHECK(error_mentions("no parameter named 'no_such_parameter'"));
  CHECK(error_mentions("lccge_model_get_parameter"));
  CHECK_STATUS(lccge_model_set_parameter(model, "PX", 2.0), LCCGE_ERROR_NOT_FOUND); /* a variable, not a parameter */
  CHECK_STATUS(lccge_model_fix_variable(model, "endow", 2.0), LCCGE_ERROR_NOT_FOUND);
  CHECK_STATUS(lccge_model_select_scenario(model, "no_such_scenario"), LCCGE_ERROR_NOT_FOUND);
  CHECK(error_mentions("no scenario named 'no_such_scenario'"));
  CHECK_OK(lccge_model_current_scenario(model, &text)); /* unchanged by the failed selection */
  CHECK(strcmp(text, "benchmark") == 0);
  CHECK(strcmp(lccge_last_error(), "") == 0); /* a successful call clears the message */
  CHECK_STATUS(lccge_model_variable_index(model, "QX", &count), LCCGE_ERROR_NOT_FOUND);

  /* Indices and arrays out of range. */
  CHECK_STATUS(lccge_model_variable_name(model, 9, &text), LCCGE_ERROR_RANGE);
  CHECK(error_mentions("variable index 9 is past the end (9 entries)"));
  CHECK_STATUS(lccge_model_parameter_name(model, 1, &text), LCCGE_ERROR_RANGE);
  CHECK_STATUS(lccge_model_scenario_name(model, 4, &text), LCCGE_ERROR_RANGE);

  /* Invalid options leave the options unchanged. */
  CHECK_OK(lccge_options_create(&options));
  CHECK_STATUS(lccge_options_set_method(options, "magic"), LCCGE_ERROR_INVALID_INPUT);
  CHECK(error_mentions("method must be"));
  CHECK_STATUS(lccge_options_set_tolerance(options, -1.0), LCCGE_ERROR_INVALID_INPUT);
  CHECK_STATUS(lccge_options_set_tolerance(options, NAN), LCCGE_ERROR_INVALID_INPUT);
  CHECK_STATUS(lccge_options_set_max_iterations(options, -5), LCCGE_ERROR_INVALID_INPUT);
  CHECK_STATUS(lccge_options_set_max_seconds(options, 0.0), LCCGE_ERROR_INVALID_INPUT);
  CHECK_STATUS(lccge_options_set_warm_start(options, NULL, 3), LCCGE_ERROR_NULL);

  /* Fixing the numeraire through the API, then solving with the options left at their defaults. */
  CHECK_OK(lccge_model_fix_variable(model, "PX", 1.0));
  CHECK_OK(lccge_solve(model, options, &result));
  if (result != NULL) {
    double values[9];
    CHECK_STATUS(lccge_result_values(result, values, NULL, 8), LCCGE_ERROR_RANGE);
    CHECK(error_mentions("the arrays hold 8 elements, 9 are needed"));
    CHECK_STATUS(lccge_result_value(result, "QX", &value), LCCGE_ERROR_NOT_FOUND);
    CHECK_STATUS(lccge_result_report(result, "X:in:QX", &value), LCCGE_ERROR_NOT_FOUND);
    CHECK_OK(lccge_result_values(result, values, NULL, 9));
    CHECK(values[3] == 1.0);
  }

  /* NULL handles, names and output pointers are errors, not crashes; freeing NULL does nothing. */
  CHECK_STATUS(lccge_model_load(NULL, &model), LCCGE_ERROR_NULL);
  CHECK(error_mentions("path is NULL"));
  CHECK_STATUS(lccge_model_load(path, NULL), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_model_name(NULL, &text), LCCGE_ERROR_NULL);
  CHECK(error_mentions("lccge_model_name: model is NULL"));
  CHECK_STATUS(lccge_model_name(model, NULL), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_model_variable_count(NULL, &count), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_model_get_parameter(model, NULL, &value), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_model_set_parameter(NULL, "endow", 1.0), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_model_select_scenario(NULL, "benchmark"), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_options_create(NULL), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_options_set_method(NULL, "auto"), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_options_set_method(options, NULL), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_options_set_tolerance(NULL, 1e-8), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_solve(NULL, options, &result), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_solve(model, options, NULL), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_result_iterations(NULL, NULL), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_result_max_residual(result, NULL), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_result_value(NULL, "X", &value), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_result_values(result, NULL, NULL, 9), LCCGE_ERROR_NULL);
  CHECK_STATUS(lccge_result_reports(NULL, &value, NULL, 1), LCCGE_ERROR_NULL);
  CHECK_OK(lccge_model_free(NULL));
  CHECK_OK(lccge_options_free(NULL));
  CHECK_OK(lccge_result_free(NULL));

  CHECK_OK(lccge_result_free(result));
  CHECK_OK(lccge_options_free(options));
  CHECK_OK(lccge_model_free(model));
}

int main(int argc, char** argv) {
  char path[4096];
  if (argc != 3) {
    fprintf(stderr, "usage: c_api_test SOURCE_DIR SCRATCH_DIR\n");
    return 2;
  }
  test_library();
  snprintf(path, sizeof(path), "%s/test/data/models/twobytwo_ces.json", argv[1]);
  test_published_twobytwo(path);
  snprintf(path, sizeof(path), "%s/examples/sam2x3", argv[1]);
  test_data_folder(path);
  test_errors(argv[1], argv[2]);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
