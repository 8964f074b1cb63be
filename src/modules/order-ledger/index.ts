import { Module } from "@medusajs/framework/utils"
import OrderLedgerModuleService from "./service"

/** The ledger module's key: `container.resolve(ORDER_LEDGER_MODULE)`. */
export const ORDER_LEDGER_MODULE = "order_ledger"

export default Module(ORDER_LEDGER_MODULE, {
  service: OrderLedgerModuleService,
})

export { OrderLedgerModuleService }
export * from "./types"
