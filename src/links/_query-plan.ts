import { createRequire } from "module"
import { dirname, join } from "path"
import { ORDER_LEDGER_MODULE } from "../modules/order-ledger"

/**
 * Workaround for a Medusa 2.21 Query bug that no link definition can avoid: an order's
 * `ledger_transactions` and `ledger_balance` asked for in one call.
 *
 * `compileQuery` (`@medusajs/query`, `dist/joiner/compile.js`, `attachExecutionStages`) puts every
 * expand that reaches the same module at the same depth into one stage group. Then `handleExpands`
 * (`dist/joiner/execute.js`) makes one fetch per group and parent key (`byPkField`, keyed only by
 * the parent's field, here `order.id` for both links). It uses the first path's entity,
 * relationship and join key (`ctxs[0]`), and gives the rows it read to every path of the group.
 * So `fields: ["ledger_transactions.*", "ledger_balance.*"]` answers the transactions under both
 * names, and with the fields the other way round, the balance under both. No link definition
 * avoids this. The group key is the parent's field with any path cut off
 * (`foreignKey.split(".").pop()`), and no other field of the order holds its id. A comma-joined
 * composite key would reach MikroORM as one unknown property, and a pivot-table link would give
 * up the read-only join on the stored `order_id`.
 *
 * The fix splits the ledger module's stage groups by target entity once the plan is compiled.
 * Each entity then gets its own fetch, in the same stage, at the same time. Paths to one entity
 * still share a fetch, as Medusa intends, and other modules' plans are left exactly as they are.
 * `integration-tests/http/query-links.spec.ts` fails if an upgrade of Medusa breaks this.
 */

/** The parts of Medusa's compiled `QueryPlan` this fix reads (`@medusajs/query`, `joiner/types`). */
type StageGroup = { service: string; entity?: string; paths: string[]; depth: number }
type QueryPlanLike = {
  root?: { executionStages?: StageGroup[][] }
  expands?: Map<string, { entity?: string }>
}
type CompilerModule = { compileQuery?: ((...args: unknown[]) => QueryPlanLike) & { [PATCHED]?: true } }

const PATCHED = Symbol.for("medusa-plugin-order-ledger.split-ledger-stage-groups")

/**
 * Splits every stage group of the ledger module that mixes entities into one group per entity
 * (in place), so that each entity gets its own fetch.
 *
 * @example
 * // [[root], [{ service: "order_ledger", paths: ["_root.ledger_transactions", "_root.ledger_balance"] }]]
 * // becomes [[root], [{ …, entity: "LedgerTransaction", paths: ["_root.ledger_transactions"] },
 * //                   { …, entity: "LedgerBalance", paths: ["_root.ledger_balance"] }]]
 * splitLedgerStageGroups(plan)
 */
export function splitLedgerStageGroups<T extends QueryPlanLike>(plan: T): T {
  const stages = plan?.root?.executionStages
  const expands = plan?.expands
  if (!Array.isArray(stages) || !(expands instanceof Map)) {
    return plan
  }
  for (const stage of stages) {
    for (let i = 0; i < stage.length; i++) {
      const group = stage[i]
      if (group.service !== ORDER_LEDGER_MODULE || group.paths.length < 2) {
        continue
      }
      const byEntity = new Map<string | undefined, string[]>()
      for (const path of group.paths) {
        const entity = expands.get(path)?.entity
        byEntity.set(entity, [...(byEntity.get(entity) ?? []), path])
      }
      if (byEntity.size < 2) {
        continue
      }
      const split = [...byEntity].map(([entity, paths]) => ({ ...group, entity, paths }))
      stage.splice(i, 1, ...split)
      i += split.length - 1
    }
  }
  return plan
}

/**
 * Wraps Medusa's `compileQuery` with {@link splitLedgerStageGroups}, once per loaded copy of
 * `@medusajs/query`. That copy is found the way Medusa finds it (framework → modules-sdk → query),
 * so the fix patches the instance that really runs. If the file or the function is missing (another
 * Medusa version), it does nothing.
 *
 * @example
 * installQueryPlanFix() // in the link files that need it, at import time
 */
export function installQueryPlanFix(): void {
  let compiler: CompilerModule
  try {
    const fromFramework = createRequire(require.resolve("@medusajs/framework"))
    const fromModulesSdk = createRequire(fromFramework.resolve("@medusajs/modules-sdk"))
    // `@medusajs/query` exports only its index, so its compiler is reached by file path.
    compiler = fromModulesSdk(join(dirname(fromModulesSdk.resolve("@medusajs/query")), "joiner", "compile.js"))
  } catch {
    return
  }
  const original = compiler.compileQuery
  if (typeof original !== "function" || original[PATCHED]) {
    return
  }
  const compileQuery = (...args: unknown[]) => splitLedgerStageGroups(original(...args))
  compiler.compileQuery = Object.assign(compileQuery, { [PATCHED]: true as const })
}
