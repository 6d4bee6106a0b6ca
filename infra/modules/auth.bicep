// Sign-in for the HR admin console: App Service built-in authentication ("Easy Auth") with Microsoft Entra ID, which
// works on Flex Consumption apps. The platform signs users in, keeps the session cookie, and hands each request to
// the app with the signed-in user in the X-MS-CLIENT-PRINCIPAL header (it strips that header from incoming requests).
// Everything that must stay reachable without a sign-in is excluded: webhooks, the alumni's signed-link pages, the
// JSON admin API (function key + bearer token, checked by the app) and the page shown after signing out.
// Why, and what the app does with the header: docs/adr/0018-console-sign-in-with-built-in-authentication.md.

@description('Function app to protect.')
param functionAppName string

@description('Entra tenant the alumni team signs in with.')
param tenantId string

@description('Application (client) id of the Entra app registration that carries the app roles (Alumni.Admin, Alumni.Recruiter, Alumni.Compliance, Alumni.Viewer).')
param clientId string

@description('App setting holding that registration\'s client secret (a Key Vault reference): sign-in then uses the authorization code flow.')
param signInSettingName string

@description('Audiences accepted in bearer tokens the platform validates; the admin API audience.')
param allowedAudiences array

@description('How long a console sign-in lasts before the platform asks again (hh:mm:ss).')
param sessionLifetime string = '08:00:00'

// Paths served without a platform sign-in. A trailing /* covers everything under the path.
var excludedPaths = [
  '/'
  '/api/hris/*'
  '/api/sendgrid/*'
  '/api/alumni/*'
  '/api/manage/*'
  '/api/console/signed-out'
  '/api/health'
]

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: excludedPaths
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        // With a client secret the platform uses the hybrid flow (code + ID token): the registration must issue ID
        // tokens (docs/deploy.md, section 8), which Bicep cannot set on an Entra registration.
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
          clientId: clientId
          clientSecretSettingName: signInSettingName
        }
        validation: {
          allowedAudiences: allowedAudiences
        }
      }
    }
    login: {
      // The app needs no provider tokens: it reads who the user is from the principal header only.
      tokenStore: {
        enabled: false
      }
      cookieExpiration: {
        convention: 'FixedTime'
        timeToExpiration: sessionLifetime
      }
      nonce: {
        validateNonce: true
      }
      preserveUrlFragmentsForLogins: false
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
  }
}

@description('Paths served without a platform sign-in.')
output excludedPaths array = excludedPaths
