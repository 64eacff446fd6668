/** Success. */
export const EXIT_OK = 0;
/** The inputs were read but are invalid, or the output cannot be written. */
export const EXIT_INVALID = 1;
/** Usage errors: an unknown command or option, an input that does not exist or is not YAML. */
export const EXIT_USAGE = 2;
/** An internal error of the CLI (a bug); never caused by input. */
export const EXIT_INTERNAL = 3;
