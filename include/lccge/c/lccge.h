/* The C API of lccge: load or read a model, set parameters, pick a scenario, solve, read the results.
 *
 * C99, usable from C, C++, Fortran (iso_c_binding), Julia (ccall), R, Python (ctypes) or any language with a C
 * foreign-function interface. Link the shared library lccge_c (CMake: find_package(lccge CONFIG REQUIRED) and
 * target_link_libraries(app PRIVATE lccge::c)); it holds the whole library and needs no C++ runtime from the caller.
 * docs/bindings.md has a complete example.
 *
 * Conventions
 * - Every function returns an lccge_status (LCCGE_OK = 0 on success) and writes its results through pointers. On
 *   an error nothing is written to the outputs, and lccge_last_error() gives the message: "file:line: cause" when
 *   the error comes from an input file, else the cause. The message is kept per thread.
 * - Handles (lccge_model, lccge_options, lccge_result) are opaque. Each has a free function; freeing NULL does
 *   nothing. A NULL handle or output pointer given to any other function is an error (LCCGE_ERROR_NULL), never a
 *   crash.
 * - Strings returned as `const char*` are UTF-8, NUL-terminated and owned by the handle they come from: valid until
 *   that handle is freed (for the model's current scenario: until the scenario is changed). lccge_last_error()'s
 *   string is valid until the thread's next lccge call.
 * - Indices are 0-based; sizes are size_t.
 * - Threads: one handle may be read from many threads at once (e.g. lccge_solve on one model from several threads);
 *   a handle being changed (lccge_model_set_parameter, lccge_options_set_*, ...) must not be used by another thread
 *   at the same time.
 * - No exception, exit() or abort() crosses this interface: a defect inside the library is reported as
 *   LCCGE_ERROR_INTERNAL.
 *
 * Stability (ABI): every type is an opaque handle or a plain enum whose values never change; the library only adds
 * functions and enum values in later versions (new handle types included, see "Extension point" at the end). The
 * shared library's SONAME changes only if that promise is ever broken (LCCGE_C_API_VERSION_MAJOR).
 */
#ifndef LCCGE_C_LCCGE_H_
#define LCCGE_C_LCCGE_H_

#include <stddef.h>

#if defined(_WIN32)
#if defined(LCCGE_C_BUILDING)
#define LCCGE_C_EXPORT __declspec(dllexport)
#else
#define LCCGE_C_EXPORT __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define LCCGE_C_EXPORT __attribute__((visibility("default")))
#else
#define LCCGE_C_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header's interface: major (breaks ABI; never so far), minor (functions added). */
#define LCCGE_C_API_VERSION_MAJOR 1
#define LCCGE_C_API_VERSION_MINOR 0
#define LCCGE_C_API_VERSION (LCCGE_C_API_VERSION_MAJOR * 10000 + LCCGE_C_API_VERSION_MINOR)

/* ------------------------------------------------------------------------------------------------------------- */
/* Status codes: what every function returns. */
typedef enum lccge_status {
  LCCGE_OK = 0,
  LCCGE_ERROR_INVALID_INPUT = 1, /* a model, data folder, option or value is wrong (the message says where) */
  LCCGE_ERROR_IO = 2,            /* a file or folder could not be read or written */
  LCCGE_ERROR_FAILED = 3,        /* a computation ran but did not succeed */
  LCCGE_ERROR_INTERNAL = 4,      /* a defect in lccge (please report it with the message) */
  LCCGE_ERROR_NULL = 5,          /* a NULL handle, name or output pointer */
  LCCGE_ERROR_NOT_FOUND = 6,     /* no variable, parameter, scenario or report of that name */
  LCCGE_ERROR_RANGE = 7          /* an index past the end, or an array too small for the result */
} lccge_status;

/* Kinds of model variables. */
typedef enum lccge_variable_kind {
  LCCGE_SECTOR = 0,    /* activity level */
  LCCGE_COMMODITY = 1, /* price */
  LCCGE_CONSUMER = 2,  /* income */
  LCCGE_AUXILIARY = 3  /* auxiliary variable (endogenous tax, rationing, ...) */
} lccge_variable_kind;

/* Whether a solve found an equilibrium (the model's status, apart from the call's status). */
typedef enum lccge_termination {
  LCCGE_CONVERGED = 0,      /* the largest scaled residual is below the tolerance */
  LCCGE_NO_CONVERGENCE = 1, /* the iteration or time limit was reached */
  LCCGE_FAILURE = 2,        /* the method stalled (e.g. at a local minimum of the residual norm) */
  LCCGE_NOT_RUN = 3
} lccge_termination;

typedef struct lccge_model lccge_model;     /* a model and its current scenario */
typedef struct lccge_options lccge_options; /* solver options */
typedef struct lccge_result lccge_result;   /* the outcome of a solve: summary figures, values, reports */

/* ------------------------------------------------------------------------------------------------------------- */
/* The library. */

/* The library's version, e.g. "0.1.0" (never NULL). */
LCCGE_C_EXPORT const char* lccge_version(void);
/* LCCGE_C_API_VERSION of the library that is running (compare with the header's when loading it dynamically). */
LCCGE_C_EXPORT int lccge_c_api_version(void);
/* A short name of a status code: "ok", "invalid input", "i/o error", ... (never NULL). */
LCCGE_C_EXPORT const char* lccge_status_string(int status);
/* The message of this thread's last failed call, or "" when the last call succeeded (never NULL). */
LCCGE_C_EXPORT const char* lccge_last_error(void);

/* ------------------------------------------------------------------------------------------------------------- */
/* Models. */

/* Loads a model file (YAML or JSON, docs/model-format.md), or builds the standard multi-region model of a data
 * folder in memory (docs/multi-region.md; as `lccge solve DATA_DIR` does). The current scenario is the model's first
 * (or an empty scenario named "default" when it has none). Errors: LCCGE_ERROR_IO (no such file),
 * LCCGE_ERROR_INVALID_INPUT (the first problem with file and line; for a data folder, the count of problems too). */
LCCGE_C_EXPORT int lccge_model_load(const char* path, lccge_model** model);
LCCGE_C_EXPORT int lccge_model_free(lccge_model* model);

LCCGE_C_EXPORT int lccge_model_name(const lccge_model* model, const char** name);

/* Variables, in the order of the solution's values. */
LCCGE_C_EXPORT int lccge_model_variable_count(const lccge_model* model, size_t* count);
LCCGE_C_EXPORT int lccge_model_variable_name(const lccge_model* model, size_t index, const char** name);
LCCGE_C_EXPORT int lccge_model_variable_kind(const lccge_model* model, size_t index, lccge_variable_kind* kind);
LCCGE_C_EXPORT int lccge_model_variable_index(const lccge_model* model, const char* name, size_t* index);

/* Parameters: their names, and their values in the current scenario (the scenario's value where it sets one, else
 * the model's). Setting a parameter changes the current scenario only. */
LCCGE_C_EXPORT int lccge_model_parameter_count(const lccge_model* model, size_t* count);
LCCGE_C_EXPORT int lccge_model_parameter_name(const lccge_model* model, size_t index, const char** name);
LCCGE_C_EXPORT int lccge_model_get_parameter(const lccge_model* model, const char* name, double* value);
LCCGE_C_EXPORT int lccge_model_set_parameter(lccge_model* model, const char* name, double value);
/* Fixes a variable at a value in the current scenario (its paired condition is dropped), e.g. a numeraire. */
LCCGE_C_EXPORT int lccge_model_fix_variable(lccge_model* model, const char* name, double value);

/* Scenarios of the model, and the current one. Selecting a scenario makes a fresh copy of it the current scenario:
 * parameters set and variables fixed before are forgotten. */
LCCGE_C_EXPORT int lccge_model_scenario_count(const lccge_model* model, size_t* count);
LCCGE_C_EXPORT int lccge_model_scenario_name(const lccge_model* model, size_t index, const char** name);
LCCGE_C_EXPORT int lccge_model_select_scenario(lccge_model* model, const char* name);
LCCGE_C_EXPORT int lccge_model_current_scenario(const lccge_model* model, const char** name);

/* ------------------------------------------------------------------------------------------------------------- */
/* Solver options (defaults: method "auto", tolerance 1e-10, 200 iterations, 600 s, no warm start). Each setter
 * checks its value (LCCGE_ERROR_INVALID_INPUT with the reason). */

LCCGE_C_EXPORT int lccge_options_create(lccge_options** options);
LCCGE_C_EXPORT int lccge_options_free(lccge_options* options);
/* "auto" (Newton-Krylov, then Ceres, then continuation), "newton-krylov", "newton-lu" or "ceres". */
LCCGE_C_EXPORT int lccge_options_set_method(lccge_options* options, const char* method);
/* Converged when the largest scaled residual is below this (> 0). */
LCCGE_C_EXPORT int lccge_options_set_tolerance(lccge_options* options, double tolerance);
LCCGE_C_EXPORT int lccge_options_set_max_iterations(lccge_options* options, int max_iterations);
LCCGE_C_EXPORT int lccge_options_set_max_seconds(lccge_options* options, double max_seconds);
/* Start from these values (one per variable, in the model's order; e.g. a previous result's values) instead of the
 * model's start. count = 0 (values may then be NULL) goes back to the model's start. lccge_solve checks the count
 * against the model. */
LCCGE_C_EXPORT int lccge_options_set_warm_start(lccge_options* options, const double* values, size_t count);

/* ------------------------------------------------------------------------------------------------------------- */
/* Solving. */

/* Solves the model under its current scenario. options may be NULL (the defaults). Returns LCCGE_OK when the call
 * worked, whether or not an equilibrium was found: read lccge_result_termination. The result holds the last iterate
 * either way and does not depend on the model (free them in any order). */
LCCGE_C_EXPORT int lccge_solve(const lccge_model* model, const lccge_options* options, lccge_result** result);
LCCGE_C_EXPORT int lccge_result_free(lccge_result* result);

/* The summary figures. */
LCCGE_C_EXPORT int lccge_result_termination(const lccge_result* result, lccge_termination* termination);
LCCGE_C_EXPORT int lccge_result_iterations(const lccge_result* result, int* iterations);
/* Largest scaled residual at the returned point. */
LCCGE_C_EXPORT int lccge_result_max_residual(const lccge_result* result, double* max_residual);
/* |sum_i p_i excess_i - sum_h (M_h - income_h)| / scale: Walras' law, ~1e-12 at an equilibrium. */
LCCGE_C_EXPORT int lccge_result_walras_residual(const lccge_result* result, double* walras_residual);
/* Wall-clock seconds of the solve. */
LCCGE_C_EXPORT int lccge_result_seconds(const lccge_result* result, double* seconds);
/* The back end that ran (e.g. "newton-krylov"), the solver's message, and a one-line report. */
LCCGE_C_EXPORT int lccge_result_method(const lccge_result* result, const char** method);
LCCGE_C_EXPORT int lccge_result_message(const lccge_result* result, const char** message);
LCCGE_C_EXPORT int lccge_result_brief_report(const lccge_result* result, const char** report);
LCCGE_C_EXPORT int lccge_result_scenario(const lccge_result* result, const char** scenario);

/* Variable values: one by name, or all of them with their names (arrays of at least lccge_result_value_count
 * elements; names may be NULL when not wanted). */
LCCGE_C_EXPORT int lccge_result_value_count(const lccge_result* result, size_t* count);
LCCGE_C_EXPORT int lccge_result_value(const lccge_result* result, const char* name, double* value);
LCCGE_C_EXPORT int lccge_result_values(const lccge_result* result, double* values, const char** names, size_t capacity);

/* Reports at the solution, by key: "S:in:C" (demand for C per unit of activity of S), "S:out:C" (supply of C per unit
 * of activity), "H:fd:C" (final demand of consumer H for C). All of them: keys in sorted order (keys may be NULL). */
LCCGE_C_EXPORT int lccge_result_report_count(const lccge_result* result, size_t* count);
LCCGE_C_EXPORT int lccge_result_report(const lccge_result* result, const char* key, double* value);
LCCGE_C_EXPORT int lccge_result_reports(const lccge_result* result, double* values, const char** keys, size_t capacity);

/* ------------------------------------------------------------------------------------------------------------- */
/* Extension point: scenario runs (not in this version).
 *
 * The battery chain's scenarios to 2060 (`lccge run`) will be added as new functions and two new handle types,
 * without changing anything above (docs/bindings.md, "Extension points", has the declarations):
 *
 *   lccge_run_options   data folder, scenario files, years; create, set_data, add_scenario_file, set_years,
 *                       set_solver, free
 *   lccge_run_scenarios(const lccge_run_options* options, lccge_table** table)
 *   lccge_table         the results in the IAMC layout (Model, Scenario, Region, Variable, Unit, one column per
 *                       year): free, row_count, column_count, column_name, string, number
 *
 * with LCCGE_C_API_VERSION_MINOR raised by one.
 */

#ifdef __cplusplus
}
#endif

#endif /* LCCGE_C_LCCGE_H_ */
