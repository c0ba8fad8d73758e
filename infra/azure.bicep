// CredentialBot in production: the resources one resource group holds.
//
//   user-assigned managed identity ── federated credential (infra/setup-identity.sh) ──> the bot's Entra app (BOT_ID)
//   App Service (Linux, .NET 10) runs the bot as that identity; it signs in as the app with no secret
//     (AzureAd:ClientCredentials = SignedAssertionFromManagedIdentity)
//   Azure Bot (single-tenant, the bot's app) ──> https://<app>/api/messages, Teams channel
//   Azure Database for PostgreSQL flexible server (several instances share it), password in Key Vault
//   Key Vault (RBAC): the store's connection string, the export signing key, and rotated secrets the bot writes
//   Application Insights (workspace-based): the connection string the bot's telemetry exports to
//
// The Microsoft 365 Agents Toolkit deploys it (m365agents.yml, arm/deploy); the outputs land in appPackage/env/.env.<env>.

@minLength(4)
@maxLength(16)
@description('Lower-case letters and digits; names every resource (some names must be unique in Azure).')
param resourceBaseName string

@description('Client id of the bot\'s Entra app (created by aadApp/create in m365agents.yml).')
param botAppId string

@maxLength(42)
param botDisplayName string = 'CredentialBot'

param location string = resourceGroup().location

@description('App Service plan size; B1 runs one instance, P0v3 and up scale out.')
param appServiceSku string = 'B1'

@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Azure Bot pricing tier: F0 (free, standard channels such as Teams) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

param postgresAdminLogin string = 'credentialbot'

@secure()
@minLength(16)
@description('PostgreSQL administrator password; kept in Key Vault, never in app settings.')
param postgresAdminPassword string

@description('PostgreSQL flexible server compute, e.g. Standard_B1ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param postgresSkuName string = 'Standard_B1ms'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@secure()
@description('HMAC key for export download links (at least 32 characters). The default is new on every deployment, which only ends links still open.')
param exportsSigningKey string = '${newGuid()}${newGuid()}'

@description('An Entra security group whose members are CredentialBot admins (empty: set Authorization:* later).')
param adminGroupId string = ''

var tenantId = subscription().tenantId
var uniqueSuffix = uniqueString(resourceGroup().id, resourceBaseName)
// Built-in roles: Key Vault Secrets Officer (read and write secrets).
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-ai'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${resourceBaseName}${uniqueSuffix}', 24)
  location: location
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

// The bot reads its settings from the vault and writes rotated secrets into it (KeyVault:AllowedVaults).
resource vaultAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = {
  name: '${resourceBaseName}-${uniqueSuffix}-pg'
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 14
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = {
  parent: postgres
  name: 'credentialbot'
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0 admits Azure's own services (the App Service) only, not the internet.
resource postgresFromAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2022-12-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource storeConnection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'store-connection-string'
  properties: {
    value: 'Host=${postgres.properties.fullyQualifiedDomainName};Database=${database.name};Username=${postgresAdminLogin};Password=${postgresAdminPassword};Ssl Mode=Require'
    contentType: 'text/plain'
  }
}

resource exportsKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'exports-signing-key'
  properties: {
    value: exportsSigningKey
    contentType: 'text/plain'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

var adminGroupSettings = empty(adminGroupId) ? [] : [
  {
    name: 'Authorization__AdminGroupIds__0'
    value: adminGroupId
  }
]

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: '${resourceBaseName}-${uniqueSuffix}'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings are read as the bot's identity.
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: concat([
        {
          name: 'Urls'
          value: 'http://+:8080'
        }
        {
          name: 'WEBSITES_PORT'
          value: '8080'
        }
        {
          name: 'Bot__MicrosoftAppId'
          value: botAppId
        }
        {
          name: 'Bot__MicrosoftAppTenantId'
          value: tenantId
        }
        {
          name: 'Bot__AllowedTenants__0'
          value: tenantId
        }
        {
          name: 'AzureAd__Instance'
          value: environment().authentication.loginEndpoint
        }
        {
          name: 'AzureAd__TenantId'
          value: tenantId
        }
        {
          name: 'AzureAd__ClientId'
          value: botAppId
        }
        {
          name: 'AzureAd__ClientCredentials__0__SourceType'
          value: 'SignedAssertionFromManagedIdentity'
        }
        {
          name: 'AzureAd__ClientCredentials__0__ManagedIdentityClientId'
          value: identity.properties.clientId
        }
        {
          name: 'Store__Provider'
          value: 'Postgres'
        }
        {
          name: 'Store__ConnectionString'
          value: '@Microsoft.KeyVault(SecretUri=${storeConnection.properties.secretUri})'
        }
        {
          name: 'KeyVault__AllowedVaults__0'
          value: vault.properties.vaultUri
        }
        {
          // The site's default host name (it cannot refer to itself here).
          name: 'Exports__PublicBaseUrl'
          value: 'https://${resourceBaseName}-${uniqueSuffix}.azurewebsites.net'
        }
        {
          name: 'Exports__SigningKey'
          value: '@Microsoft.KeyVault(SecretUri=${exportsKey.properties.secretUri})'
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'OTEL_SERVICE_NAME'
          value: 'credentialbot'
        }
      ], adminGroupSettings)
    }
  }
  dependsOn: [
    vaultAccess
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${resourceBaseName}-${uniqueSuffix}-bot'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppId: botAppId
    msaAppTenantId: tenantId
    msaAppType: 'SingleTenant'
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Written to appPackage/env/.env.<env> by the Toolkit's arm/deploy.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = site.id
output BOT_DOMAIN string = site.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${site.properties.defaultHostName}'
output BOT_TENANT_ID string = tenantId
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output KEY_VAULT_URI string = vault.properties.vaultUri
output POSTGRES_HOST string = postgres.properties.fullyQualifiedDomainName
