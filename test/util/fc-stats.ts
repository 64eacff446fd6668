/**
 * Logger for `fc.statistics`: the category table is printed only with `FC_STATISTICS=1`, so `npm test` stays quiet;
 * the coverage assertions beside each `fc.statistics` call run either way.
 */
export function statisticsLogger(line: string): void {
  if (process.env.FC_STATISTICS) console.log(line);
}
