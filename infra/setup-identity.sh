#!/usr/bin/env bash
# What the Bicep template cannot do, because it is Entra ID and not Azure Resource Manager:
#   1. a federated identity credential on the bot's Entra app that trusts the managed identity, so the bot signs in
#      as its app with no secret and no certificate (Identity.Web's SignedAssertionFromManagedIdentity);
#   2. the app's Microsoft Graph application permissions, found by name, and admin consent for them.
# Idempotent. m365agents.yml runs it during `atk provision` with the environment's values; by hand:
#   BOT_ID=... BOT_OBJECT_ID=... BOT_TENANT_ID=... MANAGED_IDENTITY_PRINCIPAL_ID=... bash infra/setup-identity.sh
# Needs the Azure CLI signed in (az login) as an owner of the app; consent needs a Privileged Role Administrator.
set -euo pipefail

: "${BOT_ID:?is required: the client id of the bot app}"
: "${BOT_OBJECT_ID:?is required: the object id of the bot app}"
: "${BOT_TENANT_ID:?is required: the tenant id}"
: "${MANAGED_IDENTITY_PRINCIPAL_ID:?is required: the principal (object) id of the managed identity}"

credential=credentialbot-managed-identity
if az ad app federated-credential show --id "$BOT_OBJECT_ID" --federated-credential-id "$credential" --only-show-errors > /dev/null 2>&1; then
  echo "Federated credential '$credential' already trusts the managed identity."
else
  az ad app federated-credential create --id "$BOT_OBJECT_ID" --only-show-errors --parameters "{
    \"name\": \"$credential\",
    \"issuer\": \"https://login.microsoftonline.com/$BOT_TENANT_ID/v2.0\",
    \"subject\": \"$MANAGED_IDENTITY_PRINCIPAL_ID\",
    \"audiences\": [\"api://AzureADTokenExchange\"],
    \"description\": \"CredentialBot signs in as its user-assigned managed identity\"
  }" > /dev/null
  echo "Federated credential '$credential' created."
fi

# Least privilege by default; add Application.ReadWrite.All (adding other owners) or
# RoleManagement.ReadWrite.Directory (PIM mode) through GRAPH_PERMISSIONS when you use those features.
graph=00000003-0000-0000-c000-000000000000
read -r -a permissions <<< "${GRAPH_PERMISSIONS:-Application.ReadWrite.OwnedBy User.Read.All Policy.Read.ApplicationConfiguration}"
# Admins by group are checked with checkMemberGroups, which needs GroupMember.Read.All beside User.Read.All.
if [ -n "${ADMIN_GROUP_ID:-}" ] && [[ " ${permissions[*]} " != *" GroupMember.Read.All "* ]]; then
  permissions+=(GroupMember.Read.All)
fi
for permission in "${permissions[@]}"; do
  role=$(az ad sp show --id "$graph" --query "appRoles[?value=='$permission'].id | [0]" --output tsv --only-show-errors)
  if [ -z "$role" ]; then
    echo "Microsoft Graph has no application permission named '$permission'." >&2
    exit 1
  fi
  az ad app permission add --id "$BOT_ID" --api "$graph" --api-permissions "$role=Role" --only-show-errors > /dev/null
  echo "Graph application permission $permission requested."
done

if az ad app permission admin-consent --id "$BOT_ID" --only-show-errors; then
  echo "Admin consent granted."
else
  echo "Admin consent was not granted: an administrator must grant it for app $BOT_ID (Entra admin center > App registrations > API permissions)." >&2
fi
