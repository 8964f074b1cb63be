const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

// Each suite boots its own Medusa: clear MikroORM's global entity metadata between them.
MetadataStorage.clear()
