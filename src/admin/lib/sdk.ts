import Medusa from "@medusajs/js-sdk"

declare const __BACKEND_URL__: string | undefined
declare const __AUTH_TYPE__: "session" | "jwt" | undefined

/**
 * The JS SDK as Medusa's dashboard configures it: same backend, session cookie auth. The host's
 * Vite build replaces `__BACKEND_URL__`; `"/"` means the page's own origin.
 */
export const sdk = new Medusa({
  baseUrl: (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) || "/",
  auth: {
    type: (typeof __AUTH_TYPE__ !== "undefined" && __AUTH_TYPE__) || "session",
  },
})
